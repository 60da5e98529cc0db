import { basename, join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { Pix2Pix } from '../../gan/pix2pix';
import { expandVideos } from '../../jobs/batch/expand-videos';
import { jobsFromVideos } from '../../jobs/batch/jobs-from-videos';
import { MANIFEST_NAME } from '../../jobs/batch/manifest';
import { loadJobsFile } from '../../jobs/batch/parse-jobs-file';
import { type BatchProgress, type BatchReport, runBatch } from '../../jobs/batch/run-batch';
import { InvalidOptionError, VidganError, type VidganErrorCode } from '../../pipeline/errors';
import { batchExitCode } from '../batch-exit-code';
import { DEFAULT_CRF } from '../../stages/encode-video';
import { DEFAULT_CONCURRENCY } from '../../jobs/batch/run-batch';
import { drillOptions, guideOptions, PAINT_OPTIONS, TRAIN_OPTIONS, type TrainArgs } from '../train-options';
import { DECODE_OPTIONS, type DecodeArgs } from '../decode-options';
import { formatDuration, progressBar } from '../format-duration';
import { interruptSignal } from '../interrupt';
import { statusLine } from '../status-line';
import { OUTPUT_OPTIONS, outputOptions, outputSuffix, type OutputArgs } from '../output-options';
import { batchOnQueue, recordName } from '../batch-on-queue';
import { QUEUE_NAME_OPTION, queueConflict } from '../queue-options';
import { parseQueueUrl } from '../../jobs/queue/parse-queue-url';

/** Arguments of `vidgan batch`. */
export interface BatchArgs extends DecodeArgs, TrainArgs, OutputArgs {
  readonly videos: readonly string[];
  readonly jobs?: string;
  readonly model?: string;
  readonly out?: string;
  readonly manifest?: string;
  readonly concurrency: number;
  readonly overwrite: boolean;
  readonly crf: number;
  readonly json: boolean;
  readonly progress: boolean;
  readonly queue?: string;
  readonly queueName: string;
  readonly detach: boolean;
  readonly rangeFrames?: number;
}

/**
 * `vidgan batch <folder or glob…> --model <ckpt> --out <dir>` and `vidgan batch --jobs <file>`:
 * converts many videos, resumably (a manifest in the output folder), one failure not stopping the rest.
 */
export const batchCommand: CommandModule<object, BatchArgs> = {
  command: 'batch [videos..]',
  describe: 'Convert many videos (a folder, a glob, or a jobs file); run again to resume',
  builder: (yargs: Argv) =>
    yargs
      .positional('videos', { type: 'string', array: true, default: [], describe: 'Video files, folders of videos, or globs such as talks/*.mp4' })
      .options({
        jobs: { type: 'string', describe: 'Jobs file: one JSON object per line, {"video", "out"?, "picks" | "model", "base"?}' },
        model: { type: 'string', describe: 'Trained model applied to every video (and to jobs without picks or model)' },
        out: { type: 'string', describe: 'Output folder: <out>/<video name>.mp4 (or the --format extension), and the manifest vidgan-batch.json' },
        ...OUTPUT_OPTIONS,
        manifest: { type: 'string', describe: `Manifest file (default <out>/${MANIFEST_NAME}, or next to the jobs file)` },
        concurrency: { type: 'number', default: DEFAULT_CONCURRENCY, describe: 'Jobs at once (1 keeps two cores busy: see docs/BATCH.md)' },
        overwrite: { type: 'boolean', default: false, describe: 'Replace outputs this batch did not write' },
        ...TRAIN_OPTIONS,
        ...PAINT_OPTIONS,
        crf: { type: 'number', default: DEFAULT_CRF, describe: 'Quality of .mp4 (x264: 0 lossless … 51 worst) and .webm (VP9, the same scale); ProRes .mov ignores it' },
        json: { type: 'boolean', default: false, describe: 'Print the batch report as JSON on stdout' },
        progress: { type: 'boolean', default: false, describe: 'Show progress even when stderr is not a terminal' },
        queue: { type: 'string', describe: 'Enqueue the jobs on a Redis queue (redis://host:port[/db]) for vidgan worker, and follow them' },
        ...QUEUE_NAME_OPTION,
        detach: { type: 'boolean', default: false, describe: 'With --queue: return once the jobs are enqueued' },
        'range-frames': { type: 'number', describe: 'With --queue: a job with picks trains once, then its frames go to workers in ranges of this many (docs/BATCH.md)' },
        ...DECODE_OPTIONS,
      }) as unknown as Argv<BatchArgs>,
  handler: async (argv: ArgumentsCamelCase<BatchArgs>) => {
    const report = await run(argv);
    if (report === undefined) return; // enqueued, detached
    process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
    const status = batchExitCode(report);
    if (status === 0) return;
    // A failed batch ends as an error so that main() prints one line and sets the exit status.
    const failures = `${report.failed.length} of ${report.jobs.length} jobs failed (see the summary above); fix them and run the same command again.`;
    const code = report.failed[0]?.error?.code;
    throw status === 1 || code === undefined ? new Error(failures) : new VidganError(code as VidganErrorCode, failures);
  },
};

async function run(args: BatchArgs): Promise<BatchReport | undefined> {
  if (args.jobs !== undefined && args.videos.length > 0) throw new InvalidOptionError('Name videos or a jobs file (--jobs), not both.');
  if (args.jobs === undefined && args.videos.length === 0) throw new InvalidOptionError('Name videos, folders or globs to convert, or a jobs file with --jobs. See vidgan batch --help.');
  const conflict = args.queue === undefined ? undefined : queueConflict(args, DEFAULT_CONCURRENCY);
  if (conflict !== undefined) throw new InvalidOptionError(conflict);
  // Check a shared model once, before any job: a bad --model would fail every job the same way.
  if (args.model !== undefined) await Pix2Pix.readCheckpointInfo(args.model);
  let jobs;
  let manifest = args.manifest ?? (args.out === undefined ? undefined : join(args.out, MANIFEST_NAME));
  if (args.jobs !== undefined) {
    jobs = await loadJobsFile(args.jobs, { outDir: args.out, model: args.model, suffix: outputSuffix(args.format) });
    manifest ??= join(args.jobs, '..', MANIFEST_NAME);
  } else {
    if (args.out === undefined) throw new InvalidOptionError('Name the output folder with --out.');
    if (args.model === undefined) throw new InvalidOptionError('Name the trained model to apply with --model (or give each video its picks in a jobs file, --jobs).');
    jobs = jobsFromVideos(await expandVideos(args.videos), { outDir: args.out, model: args.model, suffix: outputSuffix(args.format) });
  }

  if (args.queue !== undefined) {
    const { overwrite, fps, crop, crf, json, progress, detach, queueName, rangeFrames } = args;
    const training = drillOptions(args);
    const connection = parseQueueUrl(args.queue);
    return batchOnQueue(jobs, { connection, queueName, rangeFrames, overwrite, fps, crop, crf, training, ...guideOptions(args), detach, json, progress });
  }
  const line = statusLine({ force: args.progress });
  try {
    return await runBatch(jobs, {
      manifest: manifest as string,
      concurrency: args.concurrency,
      overwrite: args.overwrite,
      fps: args.fps,
      crop: args.crop,
      training: drillOptions(args),
      ...guideOptions(args),
      device: args.device,
      threads: args.threads,
      crf: args.crf,
      ...outputOptions(args),
      signal: interruptSignal(),
      onJobStart: (e) => {
        line.end();
        if (!args.json) process.stderr.write(`[${e.index + 1}/${e.count}] ${e.job.video}${e.restart ? ` (again: ${e.restart})` : ''}\n`);
      },
      onProgress: (p) => line.draw(progressText(p)),
      onJobEnd: () => line.end(),
      onWarning: (message) => {
        line.end();
        process.stderr.write(`Note: ${message}\n`);
      },
    });
  } finally {
    line.end();
  }
}

function progressText(p: BatchProgress): string {
  const head = `[${p.index + 1}/${p.count}] ${basename(p.job.video)}`;
  const batch = `batch ${p.batchFrames}/${p.batchTotalFrames} frames, ETA ${formatDuration(p.etaSeconds)}`;
  if (p.phase === 'guides') {
    const fraction = p.totalFrames ? (p.guideFrames ?? 0) / p.totalFrames : 0;
    return `${head} guides ${progressBar(fraction, 16)} frame ${p.guideFrames ?? 0}/${p.totalFrames ?? '?'}  ${batch}`;
  }
  if (p.phase === 'train' && p.training) {
    return `${head} training ${progressBar(p.training.progress, 16)} step ${p.training.step}/${p.training.totalSteps}  ${batch}`;
  }
  const fraction = p.totalFrames ? p.frames / p.totalFrames : 0;
  return `${head} ${progressBar(fraction, 16)} ${p.frames}/${p.totalFrames ?? '?'} ${p.framesPerSecond.toFixed(1)} frames/s -> ${p.format ?? '?'}  ${batch}`;
}

function summary(report: BatchReport): string {
  const shown = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  const lines = [
    `Batch: ${report.succeeded.length} done, ${report.failed.length} failed, ${report.skipped.length} skipped (done before) ` +
      `in ${formatDuration(report.seconds)}; ${recordName(report, shown)}.`,
  ];
  for (const r of report.jobs) {
    if (r.state === 'done') lines.push(`  done     ${shown(r.job.video)} -> ${shown(r.job.out)} (${r.format}, ${r.frames} frames, ${r.framesPerSecond?.toFixed(1)} frames/s)`);
    else if (r.state === 'skipped') lines.push(`  skipped  ${shown(r.job.video)} -> ${shown(r.job.out)} (done before)`);
    else lines.push(`  failed   ${shown(r.job.video)}: ${r.error?.code}: ${r.error?.message}`);
  }
  return `${lines.join('\n')}\n`;
}
