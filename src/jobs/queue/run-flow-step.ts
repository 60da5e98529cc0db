import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { BadInputError } from '../../pipeline/errors';
import { CleanupTracker } from '../../pipeline/cleanup-tracker';
import { DEFAULT_FPS } from '../../pipeline/default-sampling';
import { FrameBudget } from '../../pipeline/frame-budget';
import { DEFAULT_CRF, encodeVideo } from '../../stages/encode-video';
import { formatForPath } from '../../stages/ffmpeg/output-format';
import { sampledFrameCount } from '../../stages/ffmpeg/parse-probe';
import { probeVideo } from '../../stages/ffmpeg/probe-video';
import { pngFileName } from '../../stages/write-png-sequence';
import { type ProcessProgress, processVideo } from '../process-video';
import type { DrillProgress } from '../../drill/train-drill';
import { type FrameRange, frameRanges, rangeFolder, rangesFolder } from './frame-ranges';
import type { QueueJobData } from './queue-job';
import { type PngFrameFile, readPngFrames } from './read-png-frames';

/** What a flow step is given by the worker running it. */
export interface FlowStepContext {
  readonly device?: 'cpu' | 'cuda';
  readonly threads?: number;
  readonly signal?: AbortSignal;
  /** An earlier attempt started: resume training, replace what it wrote. */
  readonly retried: boolean;
  readonly onTrainProgress?: (progress: DrillProgress) => void;
  readonly onFrame?: (progress: ProcessProgress) => void;
}

/**
 * The trained model a flow's ranges apply: kept beside the output, as a local batch keeps it.
 *
 * @example
 * flowModelPath(data); // '/out/talk.mp4.model.safetensors'
 */
export function flowModelPath(data: QueueJobData): string {
  return `${data.job.out}.model.safetensors`;
}

/**
 * A flow's first step: drill-train on the job's picks and save the model (resuming a checkpoint an
 * earlier attempt left), then split the video into frame ranges.
 *
 * @example
 * const ranges = await trainFlow(data, { retried: false }); // [{ from: 0, to: 600 }, { from: 600 }]
 * @throws whatever {@link processVideo} throws (an output that exists: {@link OutputExistsError}).
 */
export async function trainFlow(data: QueueJobData, context: FlowStepContext): Promise<FrameRange[]> {
  const { job, options } = data;
  await processVideo({
    ...withoutOverwrite(options),
    video: job.video,
    out: job.out,
    picks: job.picks,
    base: job.base,
    trainOnly: true,
    resume: context.retried,
    overwrite: options.overwrite ?? false,
    device: context.device,
    threads: context.threads,
    signal: context.signal,
    onTrainProgress: context.onTrainProgress,
  });
  const info = await probeVideo(job.video, { signal: context.signal });
  const total = info.durationSec === undefined ? 0 : sampledFrameCount(info.durationSec, options.fps ?? DEFAULT_FPS);
  return frameRanges(total, data.rangeFrames ?? total + 2);
}

/**
 * A flow's range: the trained model applied to frames `from` … `to - 1` (the picks still guide
 * it), written as PNGs into the range's folder. Any worker can run any range.
 *
 * @example
 * await runRange(data, { from: 600, to: 1200 }, { retried: false }); // 600 PNGs in .talk.mp4.ranges/000600
 */
export async function runRange(data: QueueJobData, range: FrameRange, context: FlowStepContext): Promise<number> {
  const { job, options } = data;
  const report = await processVideo({
    ...withoutOverwrite(options),
    video: job.video,
    picks: job.picks,
    model: flowModelPath(data),
    out: rangeFolder(job.out, range.from),
    frameRange: range,
    // The folder is this flow's own: an earlier attempt's frames are replaced.
    overwrite: true,
    device: context.device,
    threads: context.threads,
    signal: context.signal,
    onFrame: context.onFrame,
  });
  return report.frames;
}

/**
 * A flow's last step: the ranges' frames, in order, encoded once into the output with the source's
 * audio, as a whole run encodes them (one encoder, so no seam in the picture or the sound); then the
 * range folders are removed.
 *
 * @example
 * await assembleRanges(data, ranges, { retried: false }); // 1800 frames into talk.mp4
 * @throws {BadInputError} when a range's frames are missing (a range folder removed by hand).
 */
export async function assembleRanges(data: QueueJobData, ranges: readonly FrameRange[], context: FlowStepContext): Promise<number> {
  const { job, options } = data;
  const fps = options.fps ?? DEFAULT_FPS;
  const files: PngFrameFile[] = [];
  for (const range of ranges) files.push(...(await rangeFiles(job.out, range)));
  const budget = new FrameBudget(16);
  const cleanup = new CleanupTracker();
  let frames = 0;
  const started = performance.now();
  try {
    await lastValueFrom(
      readPngFrames(files, { fps, budget }).pipe(
        encodeVideo(job.out, {
          fps,
          crf: options.crf ?? DEFAULT_CRF,
          format: formatForPath(job.out),
          audioFrom: job.video,
          overwrite: true,
          budget,
          signal: context.signal,
          cleanup,
        }),
        tap((p) => {
          frames = p.framesWritten;
          const framesPerSecond = frames / Math.max((performance.now() - started) / 1000, 1e-3);
          context.onFrame?.({ format: 'assembly', frames, totalFrames: files.length, framesPerSecond, etaSeconds: (files.length - frames) / framesPerSecond });
        }),
      ),
    );
  } finally {
    await cleanup.settled();
  }
  await rm(rangesFolder(job.out), { recursive: true, force: true });
  return frames;
}

/** A range's PNGs in frame order, checked to be every frame of the range. */
async function rangeFiles(out: string, range: FrameRange): Promise<PngFrameFile[]> {
  const folder = rangeFolder(out, range.from);
  const names = await readdir(folder).catch(() => [] as string[]);
  const indices = names
    .filter((name) => /^\d+\.png$/.test(name))
    .map((name) => Number(name.slice(0, -4)))
    .sort((a, b) => a - b);
  const expected = range.to === undefined ? indices.length : range.to - range.from;
  const whole = indices.length === expected && indices.every((index, i) => index === range.from + i) && indices.length > 0;
  if (!whole) {
    throw new BadInputError(
      `The frames of range ${range.from}…${range.to ?? 'end'} in ${folder} are incomplete (${indices.length} of ${range.to === undefined ? 'at least 1' : expected}). ` +
        'Enqueue the batch again: the flow is run again from its training checkpoint.',
      { path: folder },
    );
  }
  return indices.map((index) => ({ index, path: join(folder, pngFileName(index)) }));
}

function withoutOverwrite(options: QueueJobData['options']): Omit<QueueJobData['options'], 'overwrite'> {
  const { overwrite: _overwrite, ...rest } = options;
  return rest;
}
