import { DEFAULT_CROP, DEFAULT_FPS } from '../pipeline/default-sampling';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HeldOutPrediction, HoldoutOptions, HoldoutReport } from './holdout';
import { loadPicks } from '../drill/load-picks';
import type { DrillProgress } from '../drill/train-drill';
import { InvalidOptionError, OutputExistsError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';
import { FrameSampler } from '../report/frame-sampler';
import { sampleIndices } from '../report/sample-indices';
import { writeReport } from '../report/write-report';
import { reportFrameMap } from './select/report-frame-map';
import { sampledFrameCount } from '../stages/ffmpeg/parse-probe';
import { probeVideo } from '../stages/ffmpeg/probe-video';
import { prepareOutput } from '../stages/output-target';
import { holdoutScores } from './holdout-scores';
import { checkBackgroundInput, planOutput } from './plan-output';
import { resolveGuideSpec } from '../guides/guide-kit';
import { checkProcessOptions, processVideo, type ProcessReport, type ProcessVideoOptions } from './process-video';

/** Options of {@link processAndReport}: those of `processVideo`, plus hold-out validation and a report. */
export interface ProcessAndReportOptions extends ProcessVideoOptions {
  /** Run k-fold hold-out validation over the picks first (k folds, 2 … picks). */
  readonly holdout?: number;
  /**
   * Drill training of each hold-out fold. Default: `training`, the budget of the real training, so
   * the estimate is honest; the validation then takes about k times as long as the training.
   */
  readonly holdoutTraining?: HoldoutOptions['training'];
  /** Stop after the hold-out validation (and its report), without processing the video. */
  readonly holdoutOnly?: boolean;
  /** Write an HTML report into this folder (`index.html` plus PNGs). */
  readonly report?: string;
  /** Frames sampled across the video for the report's contact sheet. Default 12. */
  readonly reportFrames?: number;
  /** Mask tolerance of the held-out IoU (see `nonWhiteMask`). Default 24. */
  readonly tolerance?: number;
  /** Called when a hold-out fold starts. */
  readonly onHoldoutFold?: (fold: number, folds: number, heldOut: readonly number[]) => void;
  /** Called after every training step of a hold-out fold. */
  readonly onHoldoutTrainProgress?: (fold: number, progress: DrillProgress) => void;
  /** Called with the hold-out result as soon as it is known (before processing starts). */
  readonly onHoldout?: (report: HoldoutReport) => void;
}

/** What {@link processAndReport} did. */
export interface ProcessAndReportResult {
  /** The processing run; absent with `holdoutOnly`. */
  readonly process?: ProcessReport;
  readonly holdout?: HoldoutReport;
  /** The report page, when one was written. */
  readonly reportPage?: string;
}

/**
 * `processVideo` with the checks a user wants around it: optional k-fold hold-out validation of the
 * picks first (the quality to expect, with its spread, before processing everything), then the
 * processing run, then a self-contained HTML report of both (loss curve, contact sheet of sampled
 * frames with the edited picks marked, held-out scores, timings and options). Outputs are checked
 * before any long work.
 *
 * @example
 * const { holdout, reportPage } = await processAndReport({
 *   video: 'interview.mp4', picks: 'picks.txt', out: 'clean.mp4', holdout: 5, report: 'report',
 * });
 * @throws {InvalidOptionError} for `holdout` without picks, `holdoutOnly` without `holdout`, a bad `reportFrames`.
 * @throws {OutputExistsError} when `out` or the report exists and `overwrite` is false.
 * @throws everything `processVideo` and `holdoutScores` throw.
 */
export async function processAndReport(options: ProcessAndReportOptions): Promise<ProcessAndReportResult> {
  const started = performance.now();
  const fps = options.fps ?? DEFAULT_FPS;
  const crop = options.crop ?? DEFAULT_CROP;
  const reportFrames = expectInteger('reportFrames', options.reportFrames ?? 12, 0, 200);
  if (options.holdout !== undefined && options.picks === undefined) {
    throw new InvalidOptionError('Hold-out validation needs the picks (--train-frames): it trains on some of them and scores the others.');
  }
  if (options.holdoutOnly && options.holdout === undefined) {
    throw new InvalidOptionError('Pass --holdout <k> with --holdout-only (the number of folds).');
  }
  if (!options.holdoutOnly) {
    // The job's options, output format, background and matte are checked before the hold-out, which is long work.
    checkProcessOptions(options);
    const plan = planOutput(options);
    await checkBackgroundInput(plan.background, options.signal);
    await prepareOutput(options.out, plan.target, { overwrite: options.overwrite ?? false });
  }
  if (options.report !== undefined) await checkReportDir(options.report, options.overwrite ?? false);

  const predictions: HeldOutPrediction[] = [];
  let holdout: HoldoutReport | undefined;
  if (options.holdout !== undefined) {
    holdout = await holdoutScores(options.video, options.picks!, {
      k: options.holdout,
      base: options.base,
      guides: resolveGuideSpec(options),
      priorVeto: options.priorVeto,
      roundTrip: options.roundTrip,
      ...(options.dropStrays !== undefined ? { dropStrays: options.dropStrays } : {}),
      training: options.holdoutTraining ?? options.training,
      fps,
      crop,
      device: options.device,
      threads: options.threads,
      tolerance: options.tolerance,
      signal: options.signal,
      onFold: options.onHoldoutFold,
      onGuideProgress: options.onGuideProgress,
      onTrainProgress: options.onHoldoutTrainProgress,
      onPrediction: options.report === undefined ? undefined : (p) => predictions.push(p),
    });
    options.onHoldout?.(holdout);
  }
  const record = recordOptions(options);
  if (options.holdoutOnly) {
    const reportPage =
      options.report === undefined
        ? undefined
        : await writeReport(options.report, {
            video: options.video,
            samples: [],
            holdout,
            holdoutPredictions: predictions,
            map: await reportFrameMap({ ...options, fps, crop }, holdout),
            highlights: holdoutHighlights(holdout),
            timings: [['hold-out validation', seconds(holdout!.seconds)]],
            options: record,
          });
    return { holdout, reportPage };
  }

  const sampler = options.report === undefined ? undefined : await reportSampler(options, fps, crop, reportFrames);
  const processed = await processVideo({
    ...options,
    onOutputFrame: (input, output) => {
      sampler?.sampler.capture(input, output);
      options.onOutputFrame?.(input, output);
    },
  });
  if (options.report === undefined || sampler === undefined) return { process: processed, holdout };

  const samples = sampler.sampler.samples;
  const edits = new Map([...sampler.edits].filter(([index]) => samples.some((s) => s.index === index)));
  const t = processed.training;
  const reportPage = await writeReport(options.report, {
    video: options.video,
    output: processed.output,
    samples,
    edits,
    training: t,
    holdout,
    holdoutPredictions: predictions,
    map: await reportFrameMap({ ...options, fps, crop }, holdout),
    highlights: [
      ...holdoutHighlights(holdout),
      ['frames processed', String(processed.frames)],
      ['edited picks', String(processed.picks)],
      ...(t ? [['training steps', `${t.stepsThisRun} in ${seconds(t.trainSeconds)}`] as const] : []),
      ['processing speed', `${processed.framesPerSecond.toFixed(1)} frames/s`],
    ],
    timings: [
      ...(holdout ? [['hold-out validation', seconds(holdout.seconds)] as const] : []),
      ...(t ? [['training', `${seconds(t.trainSeconds)} (${t.stepsThisRun} steps, stopped by the ${t.stoppedBy === 'time' ? 'time' : 'step'} limit)`] as const] : []),
      ['processing', `${seconds(processed.processSeconds)} (${processed.frames} frames, ${processed.framesPerSecond.toFixed(1)} frames/s)`],
      ['total', seconds((performance.now() - started) / 1000)],
      ['peak memory', `${processed.peakRssMB} MB`],
      ['model', processed.modelSource],
    ],
    options: record,
  });
  return { process: processed, holdout, reportPage };
}

async function checkReportDir(dir: string, overwrite: boolean): Promise<void> {
  if (overwrite) return;
  const exists = await stat(join(dir, 'index.html')).then(
    () => true,
    () => false,
  );
  if (exists) throw new OutputExistsError(`${join(dir, 'index.html')} already exists. Choose another report folder, or pass overwrite.`);
}

async function reportSampler(
  options: ProcessAndReportOptions,
  fps: number,
  crop: number,
  count: number,
): Promise<{ sampler: FrameSampler; edits: Map<number, Uint8Array> }> {
  const info = await probeVideo(options.video, { signal: options.signal });
  const total = info.durationSec === undefined ? count : sampledFrameCount(info.durationSec, fps);
  const picks = options.picks === undefined ? [] : await loadPicks(options.picks, { fps, frameCount: total, size: crop });
  const indices = sampleIndices(total, count, picks.map((p) => p.frame));
  return { sampler: new FrameSampler(indices), edits: new Map(picks.map((p) => [p.frame, p.target])) };
}

function holdoutHighlights(holdout: HoldoutReport | undefined): Array<readonly [string, string]> {
  if (holdout === undefined) return [];
  return [
    [`held-out IoU (${holdout.k}-fold)`, `${holdout.meanIoU.toFixed(3)} ± ${holdout.stdIoU.toFixed(3)}`],
    ['held-out PSNR', `${holdout.meanPSNR.toFixed(1)} dB ± ${holdout.stdPSNR.toFixed(1)}`],
  ];
}

/** The options worth recording in a report: values, not callbacks or signals. */
function recordOptions(options: ProcessAndReportOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => typeof value !== 'function' && key !== 'signal'));
}

function seconds(s: number): string {
  return s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`;
}
