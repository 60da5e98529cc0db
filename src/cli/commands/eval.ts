import { DEFAULT_TOLERANCE } from '../../eval/non-white-mask';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { HoldoutReport } from '../../jobs/holdout';
import { scoreOutputs, type EvalReport } from '../../jobs/score-outputs';
import type { Summary } from '../../eval/summarize';
import { holdoutScores } from '../../jobs/holdout-scores';
import { InvalidOptionError } from '../../pipeline/errors';
import { formatDuration, progressBar } from '../format-duration';
import { guideProgressText } from '../guide-progress-text';
import { parseFrameList } from '../frame-list';
import { interruptSignal } from '../interrupt';
import { statusLine } from '../status-line';
import { resolveGuideSpec } from '../../guides/guide-kit';
import { drillOptions, guideOptions, TRAIN_OPTIONS, type TrainArgs } from '../train-options';
import { DEFAULT_FPS } from '../../pipeline/default-sampling';

/** Arguments of `vidgan eval`. */
export interface EvalArgs extends TrainArgs {
  readonly outputs?: string;
  readonly reference?: string;
  readonly masks?: string;
  readonly input?: string;
  readonly exclude?: string;
  readonly tolerance: number;
  readonly fps: number;
  readonly crop?: number;
  readonly json: boolean;
  readonly perFrame: boolean;
  readonly holdout?: number;
  readonly video?: string;
  readonly base?: string;
  readonly progress: boolean;
}

/**
 * `vidgan eval <outputs> --reference <picks|folder>`: scores output frames (a folder or a video)
 * against reference edited frames or masks: L1, PSNR, SSIM, IoU of the non-white region, and flicker.
 * `vidgan eval --holdout <k> --video <v> --reference <picks>`: k-fold hold-out validation of the picks.
 */
export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval [outputs]',
  describe: 'Score output frames against edited frames or masks, or estimate quality by hold-out validation',
  builder: (yargs: Argv) =>
    yargs
      .positional('outputs', { type: 'string', describe: 'Output frames: a folder of numbered PNGs, or a video' })
      .options({
        reference: { type: 'string', describe: 'Edited frames: a picks file or a folder of numbered images' },
        masks: { type: 'string', describe: 'Folder of true masks (numbered, white = foreground); IoU is taken against them' },
        input: { type: 'string', describe: 'The input video, to tell flicker from motion' },
        exclude: { type: 'string', describe: 'Frames to leave out: 3,17,40-45 or a picks file (the training picks)' },
        tolerance: { type: 'number', default: DEFAULT_TOLERANCE, describe: 'Mask tolerance: a pixel is background when every channel is within this of white' },
        fps: { type: 'number', default: DEFAULT_FPS, describe: 'Sampling rate for videos and picks timestamps' },
        crop: { type: 'number', describe: 'Centre crop when decoding videos (hold-out default 400)' },
        json: { type: 'boolean', default: false, describe: 'Print the scores as JSON' },
        'per-frame': { type: 'boolean', default: false, describe: 'Also print a line per frame' },
        holdout: { type: 'number', describe: 'k-fold hold-out validation over the picks of --reference (needs --video)' },
        video: { type: 'string', describe: 'The source video of the picks (with --holdout)' },
        base: { type: 'string', describe: "Hold-out: checkpoint each fold starts from; 'none' trains from scratch" },
        ...TRAIN_OPTIONS,
        progress: { type: 'boolean', default: false, describe: 'Show progress even when stderr is not a terminal' },
      }) as unknown as Argv<EvalArgs>,
  handler: async (argv: ArgumentsCamelCase<EvalArgs>) => {
    if (argv.holdout !== undefined) {
      const report = await holdout(argv);
      process.stdout.write(argv.json ? `${JSON.stringify(holdoutJson(report), null, 2)}\n` : holdoutSummary(report, argv.perFrame));
      return;
    }
    if (argv.outputs === undefined) {
      throw new InvalidOptionError('Name the output frames to score (a folder or a video), or pass --holdout <k> --video <video>.');
    }
    if (argv.reference === undefined && argv.masks === undefined) {
      throw new InvalidOptionError('Pass --reference <picks file or folder> (or --masks <folder>) to score the outputs against.');
    }
    const report = await scoreOutputs({
      outputs: argv.outputs,
      reference: argv.reference,
      masks: argv.masks,
      input: argv.input,
      exclude: argv.exclude === undefined ? undefined : parseFrameList(argv.exclude, argv.fps),
      tolerance: argv.tolerance,
      fps: argv.fps,
      crop: argv.crop,
      signal: interruptSignal(),
    });
    process.stdout.write(argv.json ? `${JSON.stringify(evalJson(report), null, 2)}\n` : evalSummary(report, argv));
  },
};

async function holdout(args: EvalArgs): Promise<HoldoutReport> {
  if (args.video === undefined || args.reference === undefined) {
    throw new InvalidOptionError('Hold-out validation needs the source video (--video) and the picks file (--reference).');
  }
  const line = statusLine({ force: args.progress });
  let guides = false;
  try {
    return await holdoutScores(args.video, args.reference, {
      k: args.holdout!,
      base: args.base,
      training: drillOptions(args),
      guides: resolveGuideSpec(guideOptions(args)),
      priorVeto: args.priorVeto,
      fps: args.fps,
      crop: args.crop,
      device: args.device,
      threads: args.threads,
      tolerance: args.tolerance,
      signal: interruptSignal(),
      onGuideProgress: (p) => {
        guides = true;
        line.draw(guideProgressText(p));
      },
      onTrainProgress: (fold, p) => {
        // The guides' line stays on screen, finished, above the folds'.
        if (guides) line.end();
        guides = false;
        line.draw(
          `hold-out fold ${fold + 1}/${args.holdout} ${progressBar(p.progress)} step ${p.step}/${p.totalSteps}  ` +
            `L1 ${p.losses.l1.toFixed(4)}  ETA ${formatDuration(p.etaSeconds)}`,
        );
      },
    });
  } finally {
    line.end();
  }
}

/** The JSON of `vidgan eval`: means, per-frame arrays, flicker per transition. */
export function evalJson(report: EvalReport): Record<string, unknown> {
  const f = report.frames;
  return {
    meanIoU: report.meanIoU,
    meanPSNR: report.meanPSNR,
    meanSSIM: report.meanSSIM,
    meanL1: report.meanL1,
    flicker: report.flicker,
    meanMaskChange: report.meanMaskChange,
    frames: f.length,
    outputFrames: report.outputFrames,
    iouAgainst: report.iouAgainst,
    excluded: report.excluded,
    missing: report.missing,
    summaries: report.summaries,
    perFrame: {
      index: f.map((s) => s.index),
      iou: f.map((s) => s.iou ?? null),
      psnr: f.map((s) => s.psnr ?? null),
      ssim: f.map((s) => s.ssim ?? null),
      l1: f.map((s) => s.l1 ?? null),
    },
    flickerPerStep: {
      index: report.flickerSteps.map((s) => s.index),
      flicker: report.flickerSteps.map((s) => (Number.isNaN(s.flicker) ? null : s.flicker)),
      maskChange: report.flickerSteps.map((s) => s.maskChange),
    },
  };
}

/** The JSON of `vidgan eval --holdout`: the report without the loss curves. */
export function holdoutJson(report: HoldoutReport): Record<string, unknown> {
  const { folds, perFrame, ...rest } = report;
  return {
    ...rest,
    folds: folds.map(({ curve: _curve, ...fold }) => fold),
    perFrame: {
      index: perFrame.map((s) => s.index),
      fold: perFrame.map((s) => s.fold),
      iou: perFrame.map((s) => s.iou),
      psnr: perFrame.map((s) => s.psnr),
      ssim: perFrame.map((s) => s.ssim),
      l1: perFrame.map((s) => s.l1),
    },
  };
}

function evalSummary(report: EvalReport, args: EvalArgs): string {
  const against = { masks: 'the true masks', reference: "the reference's non-white region", 'masks+reference': 'the true masks where given' }[
    report.iouAgainst
  ];
  const lines = [
    `Scored ${report.frames.length} of ${report.outputFrames} output frames` +
      (report.excluded.length > 0 ? ` (${report.excluded.length} excluded)` : '') +
      `; IoU against ${against} (tolerance ${args.tolerance}).`,
    summaryTable(report.summaries),
  ];
  if (report.missing.length > 0) lines.push(`No output for ${report.missing.length} reference frame(s): ${abbreviate(report.missing)}.`);
  if (report.flicker !== null) {
    lines.push(
      `Flicker: ${percent(report.flicker)} of the pixels flip per frame over still input ` +
        `(all mask change: ${percent(report.meanMaskChange ?? 0)} per frame).`,
    );
  } else if (report.meanMaskChange !== null) {
    lines.push(`Mask change: ${percent(report.meanMaskChange)} of the pixels per frame (pass --input <video> to separate flicker from motion).`);
  }
  if (args.perFrame) {
    lines.push('frame      IoU    PSNR    SSIM      L1');
    for (const f of report.frames) {
      lines.push(`${String(f.index).padStart(5)}  ${num(f.iou, 3, 7)} ${num(f.psnr, 2, 7)} ${num(f.ssim, 3, 7)} ${num(f.l1, 4, 7)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function holdoutSummary(report: HoldoutReport, perFrame: boolean): string {
  const lines = [
    `Expected quality (${report.k}-fold hold-out over ${report.perFrame.length} picks, ${formatDuration(report.seconds)}): ` +
      `IoU ${report.meanIoU.toFixed(3)} ± ${report.stdIoU.toFixed(3)} (min ${report.minIoU.toFixed(3)}), ` +
      `PSNR ${report.meanPSNR.toFixed(2)} ± ${report.stdPSNR.toFixed(2)} dB, SSIM ${report.meanSSIM.toFixed(3)} ± ${report.stdSSIM.toFixed(3)}.`,
    summaryTable(report.summaries),
  ];
  for (const f of report.folds) {
    lines.push(
      `fold ${f.fold + 1}: held out ${abbreviate(f.heldOut)}; trained ${f.steps} steps on ${f.trainPairs} pairs; IoU ${f.meanIoU.toFixed(3)}, PSNR ${f.meanPSNR.toFixed(2)} dB`,
    );
  }
  if (perFrame) {
    lines.push('frame fold     IoU    PSNR    SSIM      L1');
    for (const f of report.perFrame) {
      lines.push(`${String(f.index).padStart(5)} ${String(f.fold + 1).padStart(4)} ${num(f.iou, 3, 7)} ${num(f.psnr, 2, 7)} ${num(f.ssim, 3, 7)} ${num(f.l1, 4, 7)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function summaryTable(summaries: { iou?: Summary; psnr?: Summary; ssim?: Summary; l1?: Summary }): string {
  const rows: Array<[string, Summary | undefined, number]> = [
    ['IoU', summaries.iou, 3],
    ['PSNR dB', summaries.psnr, 2],
    ['SSIM', summaries.ssim, 3],
    ['L1', summaries.l1, 4],
  ];
  const lines = ['            mean     std     min     max'];
  for (const [name, s, digits] of rows) {
    if (s === undefined) continue;
    lines.push(`${name.padEnd(8)} ${num(s.mean, digits, 7)} ${num(s.std, digits, 7)} ${num(s.min, digits, 7)} ${num(s.max, digits, 7)}`);
  }
  return lines.join('\n');
}

function num(value: number | undefined, digits: number, width: number): string {
  return (value === undefined ? '-' : value.toFixed(digits)).padStart(width);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

function abbreviate(indices: readonly number[]): string {
  return indices.length <= 12 ? indices.join(', ') : `${indices.slice(0, 12).join(', ')}, … (${indices.length} in all)`;
}
