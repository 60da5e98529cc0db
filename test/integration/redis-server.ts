import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir } from './helpers';

/** A redis-server this test started, on 127.0.0.1 only. */
export interface TestRedis {
  readonly url: string;
  /** Kills it with SIGKILL (no chance to save) and starts it again on the same port and data folder. */
  crashAndRestart(): Promise<void>;
  /** Stops it (its process group) and awaits its exit. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Starts Debian's redis-server on a free port of 127.0.0.1 with its data in a fresh folder. The
 * append-only file is written and flushed on every change (`appendfsync always`), so even a
 * SIGKILL loses no acknowledged write: what the queue promises its producers. Resolves once the
 * server says it accepts connections.
 *
 * @example
 * const redis = await startTestRedis();
 * afterAll(() => redis.stop());
 */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = tempDir();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no'];
  let child = await launch(args);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async crashAndRestart() {
      await killGroup(child, 'SIGKILL');
      child = await launch(args);
    },
    stop: () => killGroup(child, 'SIGTERM'),
  };
}

function launch(args: readonly string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${log}`)));
  });
}

/** Signals a child's whole process group (it was spawned `detached`) and awaits the child's exit. */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // already gone
  }
  await exited;
}
