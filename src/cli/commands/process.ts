import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { HoldoutReport } from '../../jobs/holdout';
import { processAndReport, type ProcessAndReportResult } from '../../jobs/process-and-report';
import type { ProcessReport } from '../../jobs/process-video';
import { DEFAULT_CRF } from '../../stages/encode-video';
import { drillOptions, guideOptions, PAINT_OPTIONS, TRAIN_OPTIONS, type TrainArgs } from '../train-options';
import { DECODE_OPTIONS, type DecodeArgs } from '../decode-options';
import { formatDuration, progressBar } from '../format-duration';
import { guideProgressText } from '../guide-progress-text';
import { interruptSignal } from '../interrupt';
import { statusLine } from '../status-line';
import { OUTPUT_OPTIONS, outputOptions, outputSuffix, type OutputArgs } from '../output-options';

/** Arguments of `vidgan process`. */
export interface ProcessArgs extends DecodeArgs, TrainArgs, OutputArgs {
  readonly video: string;
  readonly trainFrames?: string;
  readonly out?: string;
  readonly base?: string;
  readonly model?: string;
  readonly saveModel?: string;
  readonly framesOut?: string;
  readonly resume: boolean;
  readonly overwrite: boolean;
  readonly crf: number;
  readonly json: boolean;
  readonly progress: boolean;
  readonly holdout?: number;
  readonly holdoutOnly: boolean;
  readonly foldSeconds?: number;
  readonly report?: string;
  readonly matte?: string;
}

/**
 * `vidgan process <video> --train-frames <picks>`: drill-trains pix2pix on the picked pairs from the
 * bundled base checkpoint, then streams every frame through it, over the chosen background, into the
 * output format the file name (or `--format`) asks for, with the source's audio.
 */
export const processCommand: CommandModule<object, ProcessArgs> = {
  command: 'process <video>',
  describe: 'Learn the edit from a few edited frames and apply it to the whole video',
  builder: (yargs: Argv) =>
    yargs
      .positional('video', { type: 'string', demandOption: true, describe: 'Input video file' })
      .options({
        'train-frames': { type: 'string', describe: "Picks file: '<frame> <edited image>' per line" },
        out: { type: 'string', describe: 'Output: .mp4, .mov (ProRes 4444, alpha), .webm (VP9, alpha), or a folder of RGBA PNGs (default <video>.vidgan.mp4, or the --format extension)' },
        ...OUTPUT_OPTIONS,
        matte: { type: 'string', describe: 'Also write the alpha as a grey video to this file (.mp4, .mov or .webm)' },
        base: { type: 'string', describe: "Checkpoint to start training from; 'none' trains from scratch (default: the bundled base made for the guides in use)" },
        model: { type: 'string', describe: 'Apply a model trained before and skip training' },
        'save-model': { type: 'string', describe: 'Where to keep the trained model (default <out>.model.safetensors)' },
        ...TRAIN_OPTIONS,
        ...PAINT_OPTIONS,
        'frames-out': { type: 'string', describe: 'Also write every output frame as PNG into this folder' },
        resume: { type: 'boolean', default: false, describe: 'Continue an interrupted training from its checkpoint' },
        overwrite: { type: 'boolean', default: false, describe: 'Replace existing outputs' },
        crf: { type: 'number', default: DEFAULT_CRF, describe: 'Quality of .mp4 (x264: 0 lossless … 51 worst) and .webm (VP9, the same scale); ProRes .mov ignores it' },
        json: { type: 'boolean', default: false, describe: 'Print a machine-readable summary on stdout' },
        progress: { type: 'boolean', default: false, describe: 'Show progress even when stderr is not a terminal' },
        holdout: { type: 'number', describe: 'First run k-fold hold-out validation over the picks and print the expected quality' },
        'holdout-only': { type: 'boolean', default: false, describe: 'Stop after the hold-out validation' },
        'fold-seconds': { type: 'number', describe: 'Training time limit of each hold-out fold (default: --train-seconds)' },
        report: { type: 'string', describe: 'Write an HTML report (loss curve, before/after frames, scores) into this folder' },
        ...DECODE_OPTIONS,
      }) as unknown as Argv<ProcessArgs>,
  handler: async (argv: ArgumentsCamelCase<ProcessArgs>) => {
    const result = await run(argv);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(result.process && !result.holdout && !result.reportPage ? result.process : result, null, 2)}\n`);
      return;
    }
    if (result.process) process.stdout.write(summary(result.process));
    if (result.reportPage) process.stdout.write(`Report: ${result.reportPage}\n`);
  },
};

async function run(args: ProcessArgs): Promise<ProcessAndReportResult> {
  const line = statusLine({ force: args.progress });
  const out = args.out ?? args.video.replace(/\.[^./]*$/, '') + '.vidgan' + outputSuffix(args.format);
  let phase = '';
  try {
    const training = drillOptions(args);
    return await processAndReport({
      video: args.video,
      out,
      picks: args.trainFrames,
      base: args.base,
      model: args.model,
      saveModel: args.saveModel,
      resume: args.resume,
      framesOut: args.framesOut,
      ...outputOptions(args),
      ...(args.matte === undefined ? {} : { matte: args.matte }),
      fps: args.fps,
      crop: args.crop,
      training,
      ...guideOptions(args),
      holdout: args.holdout,
      holdoutOnly: args.holdoutOnly,
      holdoutTraining: args.foldSeconds === undefined ? undefined : { ...training, trainSeconds: args.foldSeconds },
      report: args.report,
      onHoldoutTrainProgress: (fold, p) => {
        if (phase === 'guides') line.end();
        phase = 'holdout';
        line.draw(
          `hold-out fold ${fold + 1}/${args.holdout} ${progressBar(p.progress)} step ${p.step}/${p.totalSteps}  ` +
            `L1 ${p.losses.l1.toFixed(4)}  ETA ${formatDuration(p.etaSeconds)}`,
        );
      },
      onHoldout: (h) => {
        line.end();
        if (!args.json) process.stdout.write(holdoutLine(h));
      },
      device: args.device,
      threads: args.threads,
      crf: args.crf,
      overwrite: args.overwrite,
      signal: interruptSignal(),
      onInfo: (message) => {
        line.end();
        if (!args.json) process.stderr.write(`${message}\n`);
      },
      onGuideProgress: (p) => {
        phase = 'guides';
        line.draw(guideProgressText(p));
      },
      onTrainProgress: (p) => {
        if (phase !== 'train') line.end();
        phase = 'train';
        const l = p.losses;
        line.draw(
          `training ${progressBar(p.progress)} step ${p.step}/${p.totalSteps}  ` +
            `L1 ${l.l1.toFixed(4)}  G ${l.gan.toFixed(3)}  D ${l.d.toFixed(3)}  ` +
            `${formatDuration(p.elapsedSeconds)} elapsed, ETA ${formatDuration(p.etaSeconds)}`,
        );
      },
      onFrame: (p) => {
        if (phase !== 'frames') line.end();
        phase = 'frames';
        const fraction = p.totalFrames ? p.frames / p.totalFrames : 0;
        line.draw(
          `frames   ${progressBar(fraction)} ${p.frames}/${p.totalFrames ?? '?'}  ` +
            `${p.framesPerSecond.toFixed(1)} frames/s, ETA ${formatDuration(p.etaSeconds)}  -> ${p.format}`,
        );
      },
    });
  } finally {
    line.end();
  }
}

function holdoutLine(h: HoldoutReport): string {
  return (
    `Expected quality (${h.k}-fold hold-out over ${h.perFrame.length} picks, ${formatDuration(h.seconds)}): ` +
    `IoU ${h.meanIoU.toFixed(3)} ± ${h.stdIoU.toFixed(3)} (min ${h.minIoU.toFixed(3)}), ` +
    `PSNR ${h.meanPSNR.toFixed(2)} ± ${h.stdPSNR.toFixed(2)} dB, SSIM ${h.meanSSIM.toFixed(3)} ± ${h.stdSSIM.toFixed(3)}.\n`
  );
}

function summary(report: ProcessReport): string {
  const lines = [
    `Wrote ${report.output} (${report.formatLabel}, background ${report.background}): ${report.frames} frames.` +
      (report.matte === undefined ? '' : ` Matte: ${report.matte}.`),
  ];
  if (report.training) {
    const t = report.training;
    const last = t.curve[t.curve.length - 1];
    lines.push(
      `Trained ${t.stepsThisRun} steps on ${report.picks} edited frames in ${formatDuration(t.trainSeconds)} ` +
        `(stopped by ${t.stoppedBy === 'time' ? 'the time limit' : 'the step limit'}; final L1 ${last ? last.l1.toFixed(4) : '?'}), ` +
        `starting from ${report.modelSource}.`,
    );
    if (report.savedModel) lines.push(`Model saved to ${report.savedModel} (apply it again with --model).`);
  } else {
    lines.push(`Applied ${report.modelSource}.`);
  }
  if (report.painting) {
    lines.push(
      `Painted over ${report.painting.frames} frames what the edits of frame${report.painting.picks.length > 1 ? 's' : ''} ${report.painting.picks.join(', ')} painted (--no-paint leaves it to the generator).`,
    );
  }
  lines.push(
    `Processed at ${report.framesPerSecond.toFixed(1)} frames/s; ${formatDuration(report.totalSeconds)} in all; peak memory ${report.peakRssMB} MB.`,
  );
  return `${lines.join('\n')}\n`;
}
