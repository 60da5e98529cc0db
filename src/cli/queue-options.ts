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
