import { InvalidOptionError } from '../../pipeline/errors';

/** Where a queue's Redis is: what `--queue redis://host:port[/db]` names. */
export interface QueueConnection {
  readonly host: string;
  readonly port: number;
  /** Redis database number. Default 0. */
  readonly db: number;
}

/** Redis's default port, used when the URL names none. */
export const DEFAULT_REDIS_PORT = 6379;

/**
 * Reads a queue address `redis://host[:port][/db]` (port default 6379, database default 0).
 * Passwords and TLS are not taken here: keep Redis on a private network (docs/BATCH.md).
 *
 * @example
 * parseQueueUrl('redis://10.0.0.5:6380/2'); // { host: '10.0.0.5', port: 6380, db: 2 }
 * @throws {InvalidOptionError} for anything else, with the expected shape.
 */
export function parseQueueUrl(url: string): QueueConnection {
  const shape = 'Expected --queue redis://host:port[/db] (for example redis://127.0.0.1:6379/0)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(`${shape} but received ${JSON.stringify(url)}.`);
  }
  if (parsed.protocol !== 'redis:' || parsed.hostname === '' || parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
    throw new InvalidOptionError(`${shape} but received ${JSON.stringify(url)}.`);
  }
  const path = parsed.pathname.replace(/^\//, '');
  if (!/^(\d{1,2})?$/.test(path)) throw new InvalidOptionError(`${shape} but received ${JSON.stringify(url)}: the database must be a number 0 … 99.`);
  const port = parsed.port === '' ? DEFAULT_REDIS_PORT : Number(parsed.port);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, db: path === '' ? 0 : Number(path) };
}

/**
 * The URL of a connection, as `--queue` takes it.
 *
 * @example
 * queueUrlOf({ host: '127.0.0.1', port: 6379, db: 0 }); // 'redis://127.0.0.1:6379/0'
 */
export function queueUrlOf(connection: QueueConnection): string {
  const host = connection.host.includes(':') ? `[${connection.host}]` : connection.host;
  return `redis://${host}:${connection.port}/${connection.db}`;
}
