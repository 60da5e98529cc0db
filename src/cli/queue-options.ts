import type { Options } from 'yargs';
import { DEFAULT_QUEUE_NAME } from '../jobs/queue/open-queue';

/**
 * yargs definition of `--queue-name`, the same in every command that talks to a queue (`--queue`
 * itself is required by some and optional in `batch`, so each declares it).
 *
 * @example
 * builder: (y) => y.options({ queue: { type: 'string', demandOption: true }, ...QUEUE_NAME_OPTION })
 */
export const QUEUE_NAME_OPTION = {
  'queue-name': { type: 'string', default: DEFAULT_QUEUE_NAME, describe: 'Name of the queue in Redis' },
} as const satisfies Record<string, Options>;

/** The `batch` options that `--queue` reads, as far as {@link queueConflict} needs them. */
export interface QueuedBatchArgs {
  readonly manifest?: string;
  readonly concurrency: number;
  readonly device: string;
  readonly threads?: number;
  readonly background: string;
  readonly alphaFromWhite?: number;
}

/**
 * Why `batch --queue` cannot honour the options given, or undefined when it can. The queue is the
 * batch's record and each worker chooses its own concurrency, device and threads, so these options
 * would be dropped without a word: they are refused instead.
 *
 * @example
 * const why = queueConflict(args, DEFAULT_CONCURRENCY);
 * if (why !== undefined) throw new InvalidOptionError(why);
 */
export function queueConflict(args: QueuedBatchArgs, defaultConcurrency: number): string | undefined {
  if (args.manifest !== undefined) {
    return '--manifest is not used with --queue: the queue keeps the record of a queued batch (vidgan queue status shows it). Leave --manifest out, or run the batch without --queue.';
  }
  const workers: string[] = [];
  if (args.concurrency !== defaultConcurrency) workers.push('--concurrency');
  if (args.device !== 'cpu') workers.push('--device');
  if (args.threads !== undefined) workers.push('--threads');
  if (workers.length > 0) {
    return `${workers.join(', ')} ${workers.length === 1 ? 'is' : 'are'} chosen by each worker with --queue: give ${workers.length === 1 ? 'it' : 'them'} to vidgan worker, not to vidgan batch.`;
  }
  if (args.background !== 'white' || args.alphaFromWhite !== undefined) {
    return '--background and --alpha-from-white are not carried by --queue yet: run the batch without --queue, or with the default white background.';
  }
  return undefined;
}
