import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { dropFrames } from '../../jobs/select/drop-frames';
import { findOutliers, type OutliersReport } from '../../jobs/select/find-outliers';
import { frameMapData } from '../../jobs/select/frame-map-data';
import { InvalidOptionError } from '../../pipeline/errors';
import { writeReport } from '../../report/write-report';
import { DEFAULT_OUTLIER_THRESHOLD } from '../../select/outlier-scores';
import { DECODE_OPTIONS, type DecodeArgs } from '../decode-options';
import { embedProgress } from '../embed-progress';
import { interruptSignal } from '../interrupt';

/** Arguments of `vidgan outliers`. */
export interface OutliersArgs extends DecodeArgs {
  readonly video: string;
  readonly picks?: string;
  readonly model?: string;
  readonly threshold: number;
  readonly top: number;
  readonly drop: boolean;
  readonly out?: string;
  readonly overwrite: boolean;
  readonly report?: string;
  readonly json: boolean;
}

/**
 * `vidgan outliers <video> [--picks <picks> | --model <checkpoint>]`: the frames unlike the rest (or
 * far from every edited frame), worst first with their score; `--drop --out <file>` writes the video
 * without them; `--json` for scripts.
 */
export const outliersCommand: CommandModule<object, OutliersArgs> = {
  command: 'outliers <video>',
  describe: 'List the frames unlike the rest, or far from every edited frame, worst first',
  builder: (yargs: Argv) =>
    yargs
      .positional('video', { type: 'string', demandOption: true, describe: 'Input video file' })
      .options({
        picks: { type: 'string', describe: 'Picks file: score frames by their distance to the nearest edited frame' },
        model: { type: 'string', describe: 'Checkpoint written by vidgan process: use the picks it was trained on' },
        threshold: { type: 'number', default: DEFAULT_OUTLIER_THRESHOLD, describe: 'Score (times the median distance) from which a frame is an outlier' },
        top: { type: 'number', default: 20, describe: 'Frames listed besides the outliers (the highest scores)' },
        drop: { type: 'boolean', default: false, describe: 'Write the video without the outliers to --out' },
        out: { type: 'string', describe: 'Output video of --drop' },
        overwrite: { type: 'boolean', default: false, describe: 'Replace --out if it exists' },
        report: { type: 'string', describe: 'Write an HTML report with the map of the frames into this folder' },
        json: { type: 'boolean', default: false, describe: 'Print every score as JSON' },
        ...DECODE_OPTIONS,
      }) as unknown as Argv<OutliersArgs>,
  handler: async (argv: ArgumentsCamelCase<OutliersArgs>) => {
    if (argv.drop && argv.out === undefined) throw new InvalidOptionError('--drop needs --out <file>: where to write the video without the outliers.');
    const progress = embedProgress();
    const signal = interruptSignal();
    const report = await findOutliers({
      video: argv.video,
      picks: argv.picks,
      model: argv.model,
      threshold: argv.threshold,
      fps: argv.fps,
      crop: argv.crop,
      signal,
      onProgress: progress.draw,
    }).finally(progress.end);
    if (argv.drop) {
      await dropFrames(argv.video, argv.out!, report.outliers.map((o) => o.index), { fps: argv.fps, overwrite: argv.overwrite, signal });
    }
    if (argv.report !== undefined) await writeMapReport(argv, report, signal);
    process.stdout.write(argv.json ? `${JSON.stringify(outliersJson(report, argv.drop ? argv.out : undefined), null, 2)}\n` : outliersText(report, argv));
  },
};

/** The JSON of `vidgan outliers`: the outliers and every frame's score, worst first. */
export function outliersJson(report: OutliersReport, dropped?: string): Record<string, unknown> {
  return {
    frames: report.totalFrames,
    threshold: report.threshold,
    picks: report.picks,
    outliers: report.outliers.map((o) => o.index),
    scores: report.scores.map((s) => ({ index: s.index, score: round(s.score), ...(s.nearestPick === undefined ? {} : { nearestPick: s.nearestPick }) })),
    ...(dropped === undefined ? {} : { written: dropped }),
  };
}

function outliersText(report: OutliersReport, args: OutliersArgs): string {
  const against = report.picks.length > 0 ? `far from all ${report.picks.length} edited frames` : 'unlike the rest of the video';
  const shown = report.scores.slice(0, Math.max(report.outliers.length, args.top));
  const lines = shown.map(
    (s) =>
      `${s.outlier ? '!' : ' '} frame ${String(s.index).padStart(6)}  ${(s.index / args.fps).toFixed(1).padStart(7)} s  score ${round(s.score).toFixed(2).padStart(7)}` +
      (s.nearestPick === undefined ? '' : `  nearest edit ${s.nearestPick}`),
  );
  const head = `${report.outliers.length} of ${report.totalFrames} frames are ${against} (score >= ${report.threshold}; 1 is typical). Worst first:\n`;
  // What no edited frame shows (a hand raised, a passer-by) is a guess for the model: say what to do.
  const hint = report.picks.length > 0 && shown.length > 0 ? `If the first frames show something no edited frame does, edit one of them too and train again.\n` : '';
  const tail = args.drop ? `Wrote ${args.out} without the ${report.outliers.length} outliers (no audio).\n` : '';
  return `${head}${lines.join('\n')}\n${hint}${tail}`;
}

async function writeMapReport(args: OutliersArgs, report: OutliersReport, signal: AbortSignal): Promise<void> {
  const map = await frameMapData(args.video, { picks: report.picks, fps: args.fps, crop: args.crop, signal });
  const page = await writeReport(args.report!, {
    video: args.video,
    samples: [],
    map,
    highlights: [
      ['frames', String(report.totalFrames)],
      ['outliers', String(report.outliers.length)],
      ...(report.picks.length > 0 ? [['edited picks', String(report.picks.length)] as const] : []),
    ],
    options: { video: args.video, picks: args.picks, model: args.model, threshold: args.threshold, fps: args.fps, crop: args.crop },
  });
  process.stderr.write(`Report: ${page}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
