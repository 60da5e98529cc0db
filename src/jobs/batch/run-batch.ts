import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { outputFailure } from '../../io/output-failure';
import type { DrillProgress } from '../../drill/train-drill';
import { CancelledError, VidganError } from '../../pipeline/errors';
import { expectInteger } from '../../pipeline/validate';
import { checkProcessOptions } from '../process-video';
import { sampledFrameCount } from '../../stages/ffmpeg/parse-probe';
import { probeVideo } from '../../stages/ffmpeg/probe-video';
import type { BatchJob } from './batch-job';
import { type BatchJobError, readManifest } from './manifest';
import { ManifestStore } from './manifest-store';
import { checkDistinctOutputs } from './output-name';
import { type PlannedJob, planBatch } from './plan-batch';
import { type RunBatchJobOptions, runBatchJob } from './run-batch-job';
import { type BatchFolderLock, lockBatchFolder } from './lock-batch-folder';
import { removeStaleTemporaries } from './remove-stale-temporaries';
import { checkBackgroundInput, planOutput } from '../plan-output';
import { parseBackground } from '../../stages/background';

/** Jobs a batch runs at the same time unless told: one job already keeps two cores busy (docs/BATCH.md). */
export const DEFAULT_CONCURRENCY = 1;

/** Options of {@link runBatch}. */
export interface RunBatchOptions extends Omit<RunBatchJobOptions, 'onFrame' | 'onTrainProgress' | 'onGuideProgress' | 'onOutputFrame' | 'resume'> {
  /** The manifest file, usually `<output folder>/vidgan-batch.json` ({@link MANIFEST_NAME}). */
  readonly manifest: string;
  /**
   * Jobs run at the same time. Default 1: one job already keeps two cores busy (ffmpeg decodes and
   * encodes in their own processes while libtorch runs the model on all cores), see docs/BATCH.md.
   */
  readonly concurrency?: number;
  /** Replace outputs that exist but that this batch did not write. Default false. */
  readonly overwrite?: boolean;
  /** Called when a job starts. */
  readonly onJobStart?: (event: BatchJobStart) => void;
  /** Called when a job ends, done or failed (not for skipped jobs). */
  readonly onJobEnd?: (result: BatchJobResult) => void;
  /** Called while a job trains or streams, with the whole batch's progress. */
  readonly onProgress?: (progress: BatchProgress) => void;
  /**
   * Told how the batch recovered from a killed run: a stale folder lock taken over, its temporary
   * files removed. Default `process.emitWarning`.
   */
  readonly onWarning?: (message: string) => void;
}

/** A job starting. */
export interface BatchJobStart {
  readonly job: BatchJob;
  /** 0-based position among the jobs this run does (skipped ones excluded), and their count. */
  readonly index: number;
  readonly count: number;
  /** Why a job that ran before runs again (`'interrupted'`, `'failed before'`, …). */
  readonly restart?: string;
  /** Frames expected from the video (from its duration), when known. */
  readonly totalFrames?: number;
}

/** Where a batch stands, reported while a job trains or streams. */
export interface BatchProgress {
  readonly job: BatchJob;
  readonly index: number;
  readonly count: number;
  /** `guides`: reading the video once before training (the edits carried by optical flow); then `train`, then `frames`. */
  readonly phase: 'guides' | 'train' | 'frames';
  /** The frames the guides' pass has read, in the `guides` phase (out of `totalFrames`). */
  readonly guideFrames?: number;
  /** The job's output format, as a person reads it, in the `frames` phase. */
  readonly format?: string;
  /** The job's frames written so far, expected in all, and its streaming rate. */
  readonly frames: number;
  readonly totalFrames?: number;
  readonly framesPerSecond: number;
  /** The job's training progress, in the `train` phase. */
  readonly training?: DrillProgress;
  /** Frames written and expected across every job of this run (durations from probing the videos). */
  readonly batchFrames: number;
  readonly batchTotalFrames: number;
  /** Time to the end of the batch at the pace so far (frames per wall-clock second of this run). */
  readonly etaSeconds: number;
}

/** What became of one job. */
export interface BatchJobResult {
  readonly job: BatchJob;
  /** `skipped`: done in an earlier run, output present. */
  readonly state: 'done' | 'failed' | 'skipped';
  /** Why it failed: the error's code and message. */
  readonly error?: BatchJobError;
  /** Why a job that ran before was run again. */
  readonly restart?: string;
  readonly frames?: number;
  readonly framesPerSecond?: number;
  readonly seconds?: number;
  /** The output format of a job done in this run, as a person reads it (`'VP9 .webm (alpha)'`). */
  readonly format?: string;
}

/** What {@link runBatch} did. */
export interface BatchReport {
  /** Every job, in the order given. */
  readonly jobs: readonly BatchJobResult[];
  readonly succeeded: readonly BatchJobResult[];
  readonly failed: readonly BatchJobResult[];
  readonly skipped: readonly BatchJobResult[];
  /** The manifest file. */
  readonly manifest: string;
  readonly seconds: number;
}

/**
 * Converts many videos, resumably: each job is {@link processVideo} on one video (apply a trained
 * model, or drill-train on its own picks), its state kept in a manifest written atomically after
 * every change. Running the same jobs again skips those `done` whose output exists, and runs the
 * rest again (interrupted, failed, or with a missing output). A failing job is recorded with its
 * error and the others go on. The model is loaded by each job (about 50 ms), so jobs stay independent.
 *
 * The manifest's folder and every output folder are locked for the run (`.vidgan-batch.lock`, see
 * {@link lockBatchFolder}), so two runs cannot write into one folder; a lock and temporary files left
 * by a killed run are cleaned up. Whatever ends the run (done, a cancel, an error), every running job
 * is stopped and has removed its temporary files, and the locks are released, before it settles.
 *
 * Defaults: concurrency 1, fps 10, crop 400, no overwriting of outputs the batch did not make.
 *
 * @example
 * const jobs = jobsFromVideos(await expandVideos(['talks/']), { outDir: 'out', model: 'model.safetensors' });
 * const report = await runBatch(jobs, { manifest: 'out/vidgan-batch.json' });
 * for (const f of report.failed) console.log(f.job.video, f.error?.message);
 * @throws {InvalidOptionError} for an option outside its rule, or two jobs with one output.
 * @throws {BadInputError} when the manifest cannot be read.
 * @throws {OutputError} when the manifest cannot be written, or another live run holds a folder's lock
 *   (the message names its process and what to do).
 * @throws {CancelledError} when `signal` aborts: the running jobs are stopped, their partial outputs
 *   removed and their entries set back to `pending`, and the manifest is written before it throws.
 * @throws the error of an `onJobStart` or `onJobEnd` callback, once the other jobs are stopped.
 */
export async function runBatch(jobs: readonly BatchJob[], options: RunBatchOptions): Promise<BatchReport> {
  const started = performance.now();
  const concurrency = expectInteger('batch.concurrency', options.concurrency ?? DEFAULT_CONCURRENCY, 1, 64);
  checkDistinctOutputs(jobs);
  const { fps } = checkProcessOptions(options);
  // Every job's format and the background are checked before any job runs (transparency needs alpha).
  for (const job of jobs) planOutput({ ...options, out: job.out });
  await checkBackgroundInput(parseBackground(options.background ?? 'white'), options.signal);
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'VidganWarning'));
  await mkdir(dirname(options.manifest), { recursive: true }).catch((error: unknown) => {
    throw outputFailure(error, options.manifest);
  });
  const folders = [...new Set([dirname(options.manifest), ...jobs.map((job) => dirname(job.out))])].sort();
  const locks = await lockFolders(folders, warn);
  try {
    for (const folder of locks.map((lock) => dirname(lock.path))) {
      const removed = await removeStaleTemporaries(folder);
      if (removed.length > 0) warn(`Removed ${removed.length} temporary file(s) a killed run left in ${folder}: ${removed.join(', ')}.`);
    }
    return await runLocked(jobs, options, { started, concurrency, fps });
  } finally {
    for (const lock of locks) await lock.release();
  }
}

/**
 * Locks each folder (creating it); a folder that cannot be created is left to the job writing there,
 * which then fails with its own message. On a refusal the locks taken so far are released.
 */
async function lockFolders(folders: readonly string[], warn: (message: string) => void): Promise<BatchFolderLock[]> {
  const locks: BatchFolderLock[] = [];
  try {
    for (const folder of folders) {
      const made = await mkdir(folder, { recursive: true }).then(
        () => true,
        () => false,
      );
      if (made) locks.push(await lockBatchFolder(folder, { onWarning: warn }));
    }
  } catch (error) {
    for (const lock of locks) await lock.release();
    throw error;
  }
  return locks;
}

async function runLocked(
  jobs: readonly BatchJob[],
  options: RunBatchOptions,
  at: { started: number; concurrency: number; fps: number },
): Promise<BatchReport> {
  const { started, concurrency, fps } = at;
  const { plan, manifest } = planBatch(jobs, await readManifest(options.manifest), { overwrite: options.overwrite, outputExists: existsSync });
  const store = new ManifestStore(options.manifest, manifest);
  await store.save();

  const toRun = plan.filter((p) => p.action === 'run');
  const expected = new Map<string, number | undefined>();
  for (const p of toRun) expected.set(p.job.id, await expectedFrames(p.job.video, fps, options.signal));
  const tally = { total: sum([...expected.values()]), finished: 0, current: new Map<string, number>() };
  const results = new Map<string, BatchJobResult>();
  for (const p of plan) if (p.action === 'skip') results.set(p.job.id, { job: p.job, state: 'skipped' });

  // Stops every job when one run-level thing goes wrong (a cancel, a manifest write, a callback).
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
  let next = 0;
  let cancelled: CancelledError | undefined;
  let fatal: { error: unknown } | undefined;
  const worker = async () => {
    try {
      while (!signal.aborted && next < toRun.length) {
        const index = next++;
        const planned = toRun[index] as PlannedJob;
        const context = { index, count: toRun.length, totalFrames: expected.get(planned.job.id) };
        const result = await runOne(planned, context, store, { ...options, signal }, (frames) => {
          tally.current.set(planned.job.id, frames);
          const done = tally.finished + sum([...tally.current.values()]);
          const elapsed = (performance.now() - started) / 1000;
          return { batchFrames: done, batchTotalFrames: tally.total, etaSeconds: done > 0 ? (Math.max(0, tally.total - done) * elapsed) / done : Number.NaN };
        });
        tally.current.delete(planned.job.id);
        tally.finished += context.totalFrames ?? 0;
        if (result instanceof CancelledError) {
          cancelled ??= result;
          stop.abort();
        } else {
          results.set(planned.job.id, result);
          options.onJobEnd?.(result);
        }
      }
    } catch (error) {
      fatal ??= { error };
      stop.abort();
    }
  };
  // Workers never reject: each ends when its job has ended (and cleaned up), so this settles last.
  await Promise.all(Array.from({ length: Math.min(concurrency, toRun.length) }, worker));
  try {
    await store.save();
  } catch (error) {
    fatal ??= { error };
  }
  if (fatal !== undefined) throw fatal.error;
  if (cancelled !== undefined || options.signal?.aborted) {
    const finished = [...results.values()].filter((r) => r.state !== 'skipped').length;
    throw new CancelledError(
      `Batch interrupted after ${finished} of ${toRun.length} jobs; the manifest ${options.manifest} is up to date. Run the same command again to continue.`,
      { cause: cancelled },
    );
  }

  const all = plan.map((p) => results.get(p.job.id) as BatchJobResult);
  return {
    jobs: all,
    succeeded: all.filter((r) => r.state === 'done'),
    failed: all.filter((r) => r.state === 'failed'),
    skipped: all.filter((r) => r.state === 'skipped'),
    manifest: options.manifest,
    seconds: (performance.now() - started) / 1000,
  };
}

type Overall = Pick<BatchProgress, 'batchFrames' | 'batchTotalFrames' | 'etaSeconds'>;

/** Runs one planned job, keeping its manifest entry current; a cancel comes back as the error. */
async function runOne(
  planned: PlannedJob,
  at: { index: number; count: number; totalFrames?: number },
  store: ManifestStore,
  options: RunBatchOptions,
  overall: (frames: number) => Overall,
): Promise<BatchJobResult | CancelledError> {
  const { job, restart } = planned;
  const attempts = (store.current.jobs.find((e) => e.id === job.id)?.attempts ?? 0) + 1;
  const startedAt = new Date();
  options.onJobStart?.({ job, index: at.index, count: at.count, restart, totalFrames: at.totalFrames });
  await store.update(job.id, { state: 'running', attempts, startedAt: startedAt.toISOString(), finishedAt: undefined, error: undefined, seconds: undefined });
  const seconds = () => (Date.now() - startedAt.getTime()) / 1000;
  const { manifest: _m, concurrency: _c, onJobStart: _s, onJobEnd: _e, onWarning: _w, onProgress, ...processOptions } = options;
  try {
    const report = await runBatchJob(job, {
      ...processOptions,
      overwrite: planned.overwrite,
      resume: planned.resume,
      onGuideProgress: (g) => onProgress?.({ job, index: at.index, count: at.count, phase: 'guides', guideFrames: g.frames, frames: 0, totalFrames: at.totalFrames, framesPerSecond: 0, ...overall(0) }),
      onTrainProgress: (training) => onProgress?.({ job, index: at.index, count: at.count, phase: 'train', frames: 0, totalFrames: at.totalFrames, framesPerSecond: 0, training, ...overall(0) }),
      onFrame: (p) => onProgress?.({ job, index: at.index, count: at.count, phase: 'frames', format: p.format, frames: p.frames, totalFrames: p.totalFrames, framesPerSecond: p.framesPerSecond, ...overall(p.frames) }),
    });
    const done = { frames: report.frames, framesPerSecond: report.framesPerSecond, seconds: seconds() };
    await store.update(job.id, { state: 'done', finishedAt: new Date().toISOString(), ...done });
    return { job, state: 'done', restart, ...done, format: report.formatLabel };
  } catch (caught) {
    const error = asJobError(caught);
    if (caught instanceof CancelledError || options.signal?.aborted) {
      // Interrupted, not failed: back to pending so the next run starts it again.
      await store.update(job.id, { state: 'pending', finishedAt: new Date().toISOString(), seconds: seconds(), error });
      return caught instanceof CancelledError ? caught : new CancelledError(error.message, { cause: caught });
    }
    await store.update(job.id, { state: 'failed', finishedAt: new Date().toISOString(), seconds: seconds(), error });
    return { job, state: 'failed', restart, error, seconds: seconds() };
  }
}

function asJobError(error: unknown): BatchJobError {
  if (error instanceof VidganError) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

/** Frames `decodeVideo` will give for a video, or undefined when it cannot be probed (its job will fail and say why). */
async function expectedFrames(video: string, fps: number, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const info = await probeVideo(video, { signal });
    return info.durationSec === undefined ? undefined : sampledFrameCount(info.durationSec, fps);
  } catch {
    return undefined;
  }
}

function sum(values: readonly (number | undefined)[]): number {
  return values.reduce<number>((a, b) => a + (b ?? 0), 0);
}
