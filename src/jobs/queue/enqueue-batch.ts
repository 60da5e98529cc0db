import { existsSync } from 'node:fs';
import type { BatchJob } from '../batch/batch-job';
import { checkDistinctOutputs } from '../batch/output-name';
import { checkProcessOptions } from '../process-video';
import { expectInteger } from '../../pipeline/validate';
import { DEFAULT_QUEUE_NAME, openQueueChecked } from './open-queue';
import type { QueueConnection } from './parse-queue-url';
import { contentHashes, type QueueJobData, queueJobId, type QueueJobOptions } from './queue-job';

/** Options of {@link enqueueBatch}. */
export interface EnqueueBatchOptions extends QueueJobOptions {
  readonly connection: QueueConnection;
  /** Default {@link DEFAULT_QUEUE_NAME}. */
  readonly queueName?: string;
  /**
   * Frames per range: a job with picks becomes a flow (training, then ranges any worker can run,
   * then assembly). Default undefined: every job is one whole-video queue job.
   */
  readonly rangeFrames?: number;
}

/**
 * What enqueueing did with one job: `added` (new), `queued` (already waiting or running), `done`
 * (finished before and its output is there: not redone), `again` (finished before but its output is
 * gone, or failed before: put back to run again).
 */
export interface EnqueuedJob {
  readonly id: string;
  readonly job: BatchJob;
  readonly action: 'added' | 'queued' | 'done' | 'again';
  /** Why a job runs again: `'output missing'` or `'failed before'`. */
  readonly restart?: string;
}

/**
 * Puts a batch's jobs on the queue, one queue job per video with id {@link queueJobId} (a hash of
 * the output, of the contents of what the job reads and of its options), so that enqueueing the
 * same batch again adds nothing new: a waiting or running job is left alone, a finished one whose
 * output exists is not redone, and a failed one (or a finished one whose output is gone) runs again,
 * as a local batch's rerun would.
 *
 * @example
 * const jobs = jobsFromVideos(await expandVideos(['talks/']), { outDir: 'out', model: 'model.safetensors' });
 * const queued = await enqueueBatch(jobs, { connection: parseQueueUrl('redis://127.0.0.1:6379'), crop: 256 });
 * @throws {InvalidOptionError} for two jobs with one output.
 * @throws {BadInputError} when a job's video, picks, image or model cannot be read (nothing is enqueued).
 * @throws {OutputError} when Redis does not answer (see `openQueueChecked`).
 */
export async function enqueueBatch(jobs: readonly BatchJob[], options: EnqueueBatchOptions): Promise<EnqueuedJob[]> {
  checkDistinctOutputs(jobs);
  const { connection, queueName, rangeFrames, ...jobOptions } = options;
  if (rangeFrames !== undefined) expectInteger('rangeFrames', rangeFrames, 2, Number.MAX_SAFE_INTEGER);
  // Checked here, not on every worker: a bad value would fail each job there.
  checkProcessOptions(jobOptions);
  // Every file is hashed before anything is enqueued: a missing one refuses the whole batch.
  const data: QueueJobData[] = [];
  for (const job of jobs) {
    const flow = rangeFrames !== undefined && job.picks !== undefined;
    data.push({ version: 1, job, hashes: await contentHashes(job), options: jobOptions, ...(flow ? { rangeFrames } : {}) });
  }
  const queue = await openQueueChecked(connection, queueName ?? DEFAULT_QUEUE_NAME);
  try {
    const enqueued: EnqueuedJob[] = [];
    for (const entry of data) {
      const id = queueJobId(entry);
      const existing = await queue.getJob(id);
      const state = existing === undefined ? undefined : await existing.getState();
      if (existing === undefined || state === 'unknown') {
        // Adding an id that exists (another producer just now) is a no-op in BullMQ.
        await queue.add(entry.rangeFrames === undefined ? 'convert' : 'train', entry, { jobId: id });
        enqueued.push({ id, job: entry.job, action: 'added' });
      } else if (state === 'completed' && existsSync(entry.job.out)) {
        enqueued.push({ id, job: entry.job, action: 'done' });
      } else if (state === 'completed' || state === 'failed') {
        // A fresh start: no attempt of it is running, so nothing it wrote may be taken for a kill's leftovers.
        await existing.updateProgress(0);
        // A flow runs again whole: its earlier ranges and assembly go (their ids would be taken).
        await (await queue.getJob(`${id}-assemble`))?.remove({ removeChildren: true });
        await existing.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
        enqueued.push({ id, job: entry.job, action: 'again', restart: state === 'failed' ? 'failed before' : 'output missing' });
      } else {
        enqueued.push({ id, job: entry.job, action: 'queued' });
      }
    }
    return enqueued;
  } finally {
    await queue.close();
  }
}
