import { QueueEvents } from 'bullmq';
import { CancelledError } from '../../pipeline/errors';
import { DEFAULT_QUEUE_NAME, openQueue, redisOptions } from './open-queue';
import type { QueueConnection } from './parse-queue-url';
import { parseFailedReason } from './queue-error';
import type { QueueJobData } from './queue-job';
import type { QueueJobProgress, QueueJobResult } from './start-queue-worker';

/** How a followed job ended. */
export interface QueueJobOutcome {
  readonly id: string;
  readonly state: 'completed' | 'failed';
  readonly result?: QueueJobResult;
  /** `<CODE>: <message>` of the last attempt (see `queueError`). */
  readonly failedReason?: string;
  readonly attemptsMade: number;
}

/** Options of {@link followQueueJobs}. */
export interface FollowQueueJobsOptions {
  readonly connection: QueueConnection;
  readonly queueName?: string;
  readonly onProgress?: (id: string, progress: QueueJobProgress) => void;
  readonly onEnd?: (outcome: QueueJobOutcome) => void;
  /** Stops following (the jobs go on in the queue): rejects with a {@link CancelledError}. */
  readonly signal?: AbortSignal;
}

// The queue's events are a Redis stream read from where it left off, so none is lost; this re-check
// only covers what no event announces (a job removed by hand, a stream trimmed while Redis was away).
const RECHECK_MS = 5000;

/**
 * Follows queued jobs to their end (completed, or failed after its last attempt), reporting
 * their progress as workers write it. Jobs that ended before are reported at once.
 *
 * @example
 * const outcomes = await followQueueJobs(ids, { connection, onEnd: (o) => console.log(o.id, o.state) });
 * @throws {CancelledError} when `signal` aborts; the jobs are not touched.
 */
export async function followQueueJobs(ids: readonly string[], options: FollowQueueJobsOptions): Promise<QueueJobOutcome[]> {
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const events = new QueueEvents(name, { connection: redisOptions(options.connection) });
  events.on('error', () => undefined); // reconnects on its own
  const queue = openQueue(options.connection, name);
  const pending = new Set(ids);
  // A flow's training step hands over to its assembly: the id followed for each id asked about.
  const originalOf = new Map(ids.map((id) => [id, id]));
  const outcomes = new Map<string, QueueJobOutcome>();
  let wake = () => undefined as void;
  let checking = Promise.resolve();
  // An assembly failed because a range failed for good (BullMQ: "child <prefix>:<queue>:<id> failed"): the range's reason says why.
  const childReason = async (reason: string): Promise<string> => {
    const child = /^child \S*:([^:\s]+) failed$/.exec(reason)?.[1];
    const failed = child === undefined ? undefined : await queue.getJob(child);
    if (!failed?.failedReason) return reason;
    const { code, message } = parseFailedReason(failed.failedReason);
    return `${code}: the range from frame ${(failed.data as QueueJobData).range?.from ?? '?'} failed: ${message}`;
  };
  const check = (id: string) => {
    checking = checking.then(async () => {
      if (!pending.has(id)) return;
      const job = await queue.getJob(id);
      const state = job === undefined ? 'unknown' : await job.getState();
      if (job === undefined || (state !== 'completed' && state !== 'failed')) return;
      const next = state === 'completed' ? (job.returnvalue as QueueJobResult | null)?.next : undefined;
      if (next !== undefined) {
        pending.delete(id);
        pending.add(next);
        originalOf.set(next, originalOf.get(id) as string);
        void check(next);
        return;
      }
      const original = originalOf.get(id) as string;
      const outcome: QueueJobOutcome = {
        id: original,
        state,
        attemptsMade: job.attemptsMade,
        ...(state === 'completed' ? { result: job.returnvalue as QueueJobResult } : { failedReason: await childReason(job.failedReason) }),
      };
      pending.delete(id);
      outcomes.set(original, outcome);
      options.onEnd?.(outcome);
      wake();
    }).catch(() => undefined); // Redis away for a moment: the next event or re-check asks again
    return checking;
  };
  try {
    events.on('progress', ({ jobId, data }) => {
      // A flow's ranges (`<id>-r<from>`) report under the flow's first id.
      const followed = [...pending].find((id) => jobId === id || jobId.startsWith(`${id.replace(/-assemble$/, '')}-r`));
      const original = followed === undefined ? undefined : originalOf.get(followed);
      if (original !== undefined && typeof data === 'object') options.onProgress?.(original, data as unknown as QueueJobProgress);
    });
    events.on('completed', ({ jobId }) => void check(jobId));
    events.on('failed', ({ jobId }) => void check(jobId));
    await events.waitUntilReady();
    for (const id of ids) void check(id);
    while (pending.size > 0) {
      if (options.signal?.aborted) throw new CancelledError('Stopped following the batch; its jobs go on in the queue (vidgan queue status shows them).');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => done(), RECHECK_MS);
        const done = () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', done);
          resolve();
        };
        wake = done;
        options.signal?.addEventListener('abort', done);
      });
      for (const id of pending) void check(id);
      await checking;
    }
    await checking;
    return ids.map((id) => outcomes.get(id) as QueueJobOutcome);
  } finally {
    await checking.catch(() => undefined);
    await events.close();
    await queue.close();
  }
}
