import { hostname } from 'node:os';
import { DelayedError, FlowProducer, type Job, Worker } from 'bullmq';
import { expectInteger, expectNumber } from '../../pipeline/validate';
import { CancelledError, FfmpegError } from '../../pipeline/errors';
import { isProcessAlive } from '../batch/is-process-alive';
import { runBatchJob } from '../batch/run-batch-job';
import { assembleRanges, type FlowStepContext, runRange, trainFlow } from './run-flow-step';
import { DEFAULT_QUEUE_NAME, JOB_DEFAULTS, redisOptions } from './open-queue';
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
  | {
      readonly type: 'start';
      readonly id: string;
      /** `convert` (a whole video), or a flow's `train`, `range` or `assemble`. */
      readonly step: string;
      readonly data: QueueJobData;
      readonly attempt: number;
      readonly removed: readonly string[];
    }
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
  /** The output (a range's: its folder of PNGs). */
  readonly output: string;
  /** A flow's training step: the id of the flow's assembly, which the batch follows next. */
  readonly next?: string;
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
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const flows = new FlowProducer({ connection: redisOptions(options.connection) });
  flows.on('error', () => undefined);
  let handingBack = false;
  let finishing = false;

  const processor = async (job: Job<QueueJobData, QueueJobResult>, token?: string, signal?: AbortSignal): Promise<QueueJobResult> => {
    const id = job.id as string;
    const unit = job.data.job;
    const before = job.progress as Partial<QueueJobProgress> | number;
    // An earlier attempt that got as far as starting: a killed worker, a lost lock, a retried failure.
    const retried = job.attemptsStarted > 1 || (typeof before === 'object' && before.pid !== undefined);
    const removed = typeof before === 'object' && before.host === hostname() && before.pid !== undefined && before.pid !== process.pid && !isProcessAlive(before.pid)
      ? await removeAttemptTemporaries(unit.out, before.pid)
      : [];
    emit({ type: 'start', id, step: job.name, data: job.data, attempt: job.attemptsStarted, removed });
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
    const context: FlowStepContext = {
      device: options.device,
      threads: options.threads,
      signal,
      retried,
      onTrainProgress: (p) => report({ ...base, phase: 'train', frames: 0, framesPerSecond: 0, step: p.step, totalSteps: p.totalSteps }),
      onFrame: (p) => report({ ...base, phase: 'frames', frames: p.frames, totalFrames: p.totalFrames, framesPerSecond: p.framesPerSecond }),
    };
    let made: { output: string; frames: number; next?: string };
    try {
      made = await runStep(job, context, flows, queueName);
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
    const seconds = (performance.now() - started) / 1000;
    const done: QueueJobResult = { ...made, framesPerSecond: made.frames / Math.max(seconds, 1e-3), seconds, worker: name };
    emit({ type: 'done', id, result: done });
    return done;
  };

  const worker = new Worker<QueueJobData, QueueJobResult>(queueName, processor, {
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
    finish: async () => {
      finishing = true;
      await worker.close();
      await flows.close();
    },
    handBack: async () => {
      handingBack = true;
      worker.cancelAllJobs('handed back');
      await worker.close();
      await flows.close();
    },
  };
}

/**
 * Runs one queue job by its name: `convert` (a whole video), or a flow's `train`, `range` or
 * `assemble` step. A training step adds its ranges and assembly as a BullMQ flow (the assembly
 * waits for every range; a range failing for good fails it), with ids derived from its own, so a
 * retried training step adds nothing twice.
 */
async function runStep(
  job: Job<QueueJobData, QueueJobResult>,
  context: FlowStepContext,
  flows: FlowProducer,
  queueName: string,
): Promise<{ output: string; frames: number; next?: string }> {
  const data = job.data;
  const { out } = data.job;
  switch (job.name) {
    case 'train': {
      const ranges = await trainFlow(data, context);
      const next = `${job.id}-assemble`;
      await flows.add({
        name: 'assemble',
        queueName,
        data: { ...data, ranges } satisfies QueueJobData,
        opts: { ...JOB_DEFAULTS, jobId: next },
        children: ranges.map((range) => ({
          name: 'range',
          queueName,
          data: { ...data, range } satisfies QueueJobData,
          opts: { ...JOB_DEFAULTS, jobId: `${job.id}-r${range.from}`, failParentOnFailure: true },
        })),
      });
      return { output: out, frames: 0, next };
    }
    case 'range':
      return { output: out, frames: await runRange(data, data.range ?? { from: 0 }, context) };
    case 'assemble':
      return { output: out, frames: await assembleRanges(data, data.ranges ?? [], context) };
    default: {
      const unit = data.job;
      const report = await runBatchJob(unit, {
        ...data.options,
        device: context.device,
        threads: context.threads,
        overwrite: (data.options.overwrite ?? false) || context.retried,
        resume: context.retried && unit.picks !== undefined,
        signal: context.signal,
        onTrainProgress: context.onTrainProgress,
        onFrame: context.onFrame,
      });
      return { output: report.output, frames: report.frames };
    }
  }
}
