import { type ConnectionOptions, Queue, type DefaultJobOptions } from 'bullmq';
import type { QueueConnection } from './parse-queue-url';

/** The queue's name in Redis unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'vidgan';

/**
 * How often a job is tried before it is failed for good: a worker's crash, a lost lock or an
 * ffmpeg or engine failure are retried (with backoff); bad input, a bad checkpoint, an existing
 * output and invalid options are not (docs/BATCH.md).
 */
export const JOB_ATTEMPTS = 3;

/** Every job is kept once finished: the queue is the batch's record, as the manifest is locally. */
export const JOB_DEFAULTS: DefaultJobOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: false,
  removeOnFail: false,
};

/**
 * ioredis options for a connection. `maxRetriesPerRequest: null` lets a worker's blocking reads
 * wait out a Redis restart instead of failing (BullMQ requires it for workers), and reconnection
 * retries for ever with a capped delay.
 *
 * @example
 * new Worker('vidgan', processor, { connection: redisOptions(parseQueueUrl(url)) });
 */
export function redisOptions(connection: QueueConnection): ConnectionOptions {
  return {
    host: connection.host,
    port: connection.port,
    db: connection.db,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}

/**
 * Opens the queue of converted videos on a Redis. Close it when done.
 *
 * @example
 * const queue = openQueue(parseQueueUrl('redis://127.0.0.1:6379'));
 * await queue.close();
 */
export function openQueue(connection: QueueConnection, name = DEFAULT_QUEUE_NAME): Queue {
  return new Queue(name, { connection: redisOptions(connection), defaultJobOptions: JOB_DEFAULTS });
}
