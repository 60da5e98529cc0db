import type { JobState } from 'bullmq';
import type { BatchJob } from '../batch/batch-job';
import { DEFAULT_QUEUE_NAME, openQueueChecked } from './open-queue';
import type { QueueConnection } from './parse-queue-url';
import type { QueueJobData } from './queue-job';
import type { QueueJobProgress, QueueJobResult } from './start-queue-worker';

/** One job as `vidgan queue status` lists it. */
export interface QueueStatusJob {
  readonly id: string;
  readonly state: JobState;
  readonly job: BatchJob;
  readonly attemptsStarted: number;
  readonly attemptsMade: number;
  /** The worker running it, or that ran it last, and how far it got. */
  readonly progress?: QueueJobProgress;
  readonly result?: QueueJobResult;
  /** `<CODE>: <message>` when it failed (or its last attempt did, before a retry). */
  readonly failedReason?: string;
}

/** A worker connected to the queue now. */
export interface QueueStatusWorker {
  readonly name: string;
  /** Its address as Redis sees it (`ip:port`). */
  readonly address: string;
  /** Seconds since it connected. */
  readonly ageSeconds: number;
}

/** What {@link queueStatus} found. */
export interface QueueStatusReport {
  readonly counts: Readonly<Record<JobState, number>>;
  readonly jobs: readonly QueueStatusJob[];
  readonly workers: readonly QueueStatusWorker[];
}

const STATES: readonly JobState[] = ['active', 'waiting', 'prioritized', 'delayed', 'waiting-children', 'failed', 'completed'];

/**
 * Lists the queue's jobs (running first, then waiting, delayed, failed, completed) and its workers.
 *
 * @example
 * const status = await queueStatus(parseQueueUrl('redis://127.0.0.1:6379'));
 * for (const job of status.jobs) console.log(job.state, job.job.video, job.failedReason ?? '');
 * @throws {OutputError} when Redis does not answer (see `openQueueChecked`).
 */
export async function queueStatus(connection: QueueConnection, queueName = DEFAULT_QUEUE_NAME): Promise<QueueStatusReport> {
  const queue = await openQueueChecked(connection, queueName);
  try {
    const counts = (await queue.getJobCounts(...STATES)) as Record<JobState, number>;
    const jobs: QueueStatusJob[] = [];
    for (const state of STATES) {
      for (const job of await queue.getJobs([state], 0, -1, true)) {
        const data = job.data as QueueJobData;
        jobs.push({
          id: job.id as string,
          state,
          job: data.job,
          attemptsStarted: job.attemptsStarted,
          attemptsMade: job.attemptsMade,
          ...(typeof job.progress === 'object' ? { progress: job.progress as unknown as QueueJobProgress } : {}),
          ...(job.returnvalue ? { result: job.returnvalue as QueueJobResult } : {}),
          ...(job.failedReason ? { failedReason: job.failedReason } : {}),
        });
      }
    }
    const workers = (await queue.getWorkers()).map((client) => ({
      // Redis knows a worker as `<prefix>:<base64 queue name>:w:<worker name>`.
      name: (client.rawname ?? '').replace(/^.*?:w:/, ''),
      address: client.addr ?? '',
      ageSeconds: Number(client.age ?? 0),
    }));
    return { counts, jobs, workers };
  } finally {
    await queue.close();
  }
}
