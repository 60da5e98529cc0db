import { hostname } from 'node:os';
import { DelayedError, type Job, Worker } from 'bullmq';
import { expectInteger, expectNumber } from '../../pipeline/validate';
import { CancelledError, FfmpegError } from '../../pipeline/errors';
import { isProcessAlive } from '../batch/is-process-alive';
import { runBatchJob } from '../batch/run-batch-job';
import type { ProcessReport } from '../process-video';
import { DEFAULT_QUEUE_NAME, redisOptions } from './open-queue';
import type { QueueConnection } from './parse-queue-url';
import type { QueueJobData } from './queue-job';
import { queueError } from './queue-error';
import { removeAttemptTemporaries } from './remove-attempt-temporaries';

/** Seconds a worker's lock on a job lasts unless renewed (renewed every half of it). Default 30. */
export const DEFAULT_LOCK_SECONDS = 30;

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  readonly connection: QueueConnection;
  /** Default {@link DEFAULT_QUEUE_NAME}. */
  readonly queueName?: string;
  /** Jobs this worker runs at once. Default 1: one job keeps two cores busy (docs/BATCH.md). */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal, in seconds (default {@link DEFAULT_LOCK_SECONDS}).
   * A worker that dies is noticed after about this long (plus one stalled-job check, as often), and
   * its job is handed to another worker.
   */
  readonly lockSeconds?: number;
  /** Where the model runs and with how many libtorch threads: the machine's own, not the job's. */
  readonly device?: 'cpu' | 'cuda';
  readonly threads?: number;
  /** Shown by `vidgan queue status`. Default `<host>:<pid>`. */
  readonly name?: string;
  /** Told when a job starts, progresses, ends or is handed back. */
  readonly onEvent?: (event: QueueWorkerEvent) => void;
}

/** What a worker tells its caller. */
export type QueueWorkerEvent =
  | { readonly type: 'start'; readonly id: string; readonly data: QueueJobData; readonly attempt: number; readonly removed: readonly string[] }
  | { readonly type: 'progress'; readonly id: string; readonly progress: QueueJobProgress }
  | { readonly type: 'done'; readonly id: string; readonly result: QueueJobResult }
  | { readonly type: 'failed'; readonly id: string; readonly reason: string; readonly final: boolean }
  | { readonly type: 'handed-back'; readonly id: string };

/** A running job's progress as stored in the queue: which process runs it, and how far it is. */
export interface QueueJobProgress {
  readonly host: string;
  readonly pid: number;
  readonly worker: string;
  readonly phase: 'start' | 'train' | 'frames';
  readonly frames: number;
  readonly totalFrames?: number;
  readonly framesPerSecond: number;
  readonly step?: number;
  readonly totalSteps?: number;
}

/** A finished job's return value in the queue. */
export interface QueueJobResult {
  readonly output: string;
  readonly frames: number;
  readonly framesPerSecond: number;
  readonly seconds: number;
  readonly worker: string;
}

/** A running worker. */
export interface QueueWorker {
  readonly name: string;
  /** Takes no more jobs; resolves once the running ones have finished and the worker is closed. */
  finish(): Promise<void>;
  /** Stops the running jobs (ffmpeg killed, temporaries removed), puts them back in the queue, closes. */
  handBack(): Promise<void>;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * Starts a BullMQ worker on the queue: each job is {@link runBatchJob} on the paths it carries,
 * with its progress in the queue. A job that fails with a final code (bad input, …) fails at once
 * with reason `<CODE>: <message>`; others are retried. A worker killed mid-job stops renewing its
 * lock, and another worker takes the job again after the lock expires: that attempt removes the
 * temporary files the dead process left (when it ran on this machine), replaces an output the dead
 * one may have finished, and resumes its training checkpoint. The libtorch work runs on the engine's
 * own thread and ffmpeg in child processes, so the event loop stays free to renew locks.
 *
 * @example
 * const worker = await startQueueWorker({ connection: parseQueueUrl('redis://127.0.0.1:6379') });
 * process.once('SIGINT', () => void worker.finish());
 * @throws {InvalidOptionError} for a concurrency or lock time outside its range.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const concurrency = expectInteger('worker.concurrency', options.concurrency ?? 1, 1, 64);
  const lockMs = Math.round(expectNumber('worker.lockSeconds', options.lockSeconds ?? DEFAULT_LOCK_SECONDS, 2, 3600) * 1000);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const emit = options.onEvent ?? (() => undefined);
  let handingBack = false;
  let finishing = false;

  const processor = async (job: Job<QueueJobData, QueueJobResult>, token?: string, signal?: AbortSignal): Promise<QueueJobResult> => {
    const id = job.id as string;
    const { job: unit, options: jobOptions } = job.data;
    const before = job.progress as Partial<QueueJobProgress> | number;
    // An earlier attempt that got as far as starting: a killed worker, a lost lock, a retried failure.
    const retried = job.attemptsStarted > 1 || (typeof before === 'object' && before.pid !== undefined);
    const removed = typeof before === 'object' && before.host === hostname() && before.pid !== undefined && before.pid !== process.pid && !isProcessAlive(before.pid)
      ? await removeAttemptTemporaries(unit.out, before.pid)
      : [];
    emit({ type: 'start', id, data: job.data, attempt: job.attemptsStarted, removed });
    const started = performance.now();
    const base = { host: hostname(), pid: process.pid, worker: name };
    await job.updateProgress({ ...base, phase: 'start', frames: 0, framesPerSecond: 0 } satisfies QueueJobProgress);
    let last = 0;
    const report = (progress: QueueJobProgress, force = false) => {
      const now = performance.now();
      if (!force && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      emit({ type: 'progress', id, progress });
      job.updateProgress(progress).catch(() => undefined); // progress is news, not state: a lost write is harmless
    };
    let result: ProcessReport;
    try {
      result = await runBatchJob(unit, {
        ...jobOptions,
        device: options.device,
        threads: options.threads,
        overwrite: (jobOptions.overwrite ?? false) || retried,
        resume: retried && unit.picks !== undefined,
        signal,
        onTrainProgress: (p) => report({ ...base, phase: 'train', frames: 0, framesPerSecond: 0, step: p.step, totalSteps: p.totalSteps }),
        onFrame: (p) => report({ ...base, phase: 'frames', frames: p.frames, totalFrames: p.totalFrames, framesPerSecond: p.framesPerSecond }),
      });
    } catch (error) {
      // A terminal's Ctrl-C reaches ffmpeg too (same process group): a job that a stopping worker
      // loses that way is handed back rather than failed.
      const stopped = error instanceof CancelledError || error instanceof FfmpegError || signal?.aborted === true;
      if ((handingBack || finishing) && stopped) {
        // Back to the queue for another worker, without using up an attempt.
        await job.moveToDelayed(Date.now(), token);
        emit({ type: 'handed-back', id });
        throw new DelayedError();
      }
      const failure = queueError(error);
      const final = failure.name === 'UnrecoverableError' || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      emit({ type: 'failed', id, reason: failure.message, final });
      throw failure;
    }
    const done: QueueJobResult = { output: result.output, frames: result.frames, framesPerSecond: result.framesPerSecond, seconds: (performance.now() - started) / 1000, worker: name };
    emit({ type: 'done', id, result: done });
    return done;
  };

  const worker = new Worker<QueueJobData, QueueJobResult>(options.queueName ?? DEFAULT_QUEUE_NAME, processor, {
    connection: redisOptions(options.connection),
    concurrency,
    name,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // A job whose worker died twice is retried once more; a third stall fails it as stalled.
    maxStalledCount: 2,
  });
  // Connection trouble (a Redis restart) is retried by the client; it must not crash the process.
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    name,
    finish: () => {
      finishing = true;
      return worker.close();
    },
    handBack: async () => {
      handingBack = true;
      worker.cancelAllJobs('handed back');
      await worker.close();
    },
  };
}
