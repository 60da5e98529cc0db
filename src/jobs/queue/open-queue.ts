import { createConnection } from 'node:net';
import { type ConnectionOptions, Queue, type DefaultJobOptions } from 'bullmq';
import { OutputError } from '../../pipeline/errors';
import { type QueueConnection, queueUrlOf } from './parse-queue-url';

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

/** How long a command that uses the queue once (enqueue, status) waits for Redis to answer. */
export const REDIS_ANSWER_MS = 10_000;

/**
 * Opens the queue once Redis has answered a PING within {@link REDIS_ANSWER_MS} (asked over a plain
 * socket, which is closed either way), so that a wrong `--queue` or a Redis that is down fails with a
 * message instead of waiting for ever (a worker, by contrast, waits for Redis to come back).
 *
 * @example
 * const queue = await openQueueChecked(parseQueueUrl('redis://127.0.0.1:6379'));
 * @throws {OutputError} naming the address, when Redis does not answer.
 */
export async function openQueueChecked(connection: QueueConnection, name = DEFAULT_QUEUE_NAME): Promise<Queue> {
  try {
    await pingRedis(connection);
  } catch (error) {
    throw new OutputError(
      `Cannot reach the queue's Redis at ${queueUrlOf(connection)} (${(error as Error).message}). Check --queue, and that redis-server runs there and listens on that address.`,
      { cause: error },
    );
  }
  return openQueue(connection, name);
}

function pingRedis(connection: QueueConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: connection.host, port: connection.port });
    const done = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.setTimeout(REDIS_ANSWER_MS, () => done(new Error(`no answer in ${REDIS_ANSWER_MS / 1000} s`)));
    socket.once('error', (error) => done(error));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => (reply.toString().startsWith('+PONG') ? done() : done(new Error(`it answered ${JSON.stringify(reply.toString().trim())}`))));
  });
}
