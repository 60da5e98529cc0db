import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { outputFailure } from '../../io/output-failure';
import { temporaryPathFor } from '../../io/write-file-atomic';
import { OutputError } from '../../pipeline/errors';
import { isProcessAlive } from './is-process-alive';

/** The lock file's name in a folder a batch writes to. */
export const BATCH_LOCK_NAME = '.vidgan-batch.lock';

/** Who holds a batch lock: the contents of {@link BATCH_LOCK_NAME}. */
export interface BatchLockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
  /** Random, so a holder removes only its own lock file. */
  readonly token: string;
}

/** A held batch lock; {@link BatchFolderLock.release} removes it. */
export interface BatchFolderLock {
  /** The lock file. */
  readonly path: string;
  readonly owner: BatchLockOwner;
  /** Removes the lock file if it is still this lock's (idempotent). */
  release(): Promise<void>;
}

/** Options of {@link lockBatchFolder}. */
export interface LockBatchFolderOptions {
  /** Told when a stale lock (its process dead, on this machine) is taken over. */
  readonly onWarning?: (message: string) => void;
}

/**
 * Locks a folder for one batch run: creates `<folder>/.vidgan-batch.lock` exclusively (`O_EXCL`),
 * holding the process id, host and start time. A lock left by a process that is no longer running
 * on this machine (a killed run) is taken over, with a warning; a live one is refused. The lock is
 * also removed if the process exits without calling `release` (`process.exit`), but not on SIGKILL:
 * that is what the takeover is for.
 *
 * @example
 * const lock = await lockBatchFolder('out');
 * try { await work(); } finally { await lock.release(); }
 * @throws {OutputError} when another live process holds the lock (naming it and what to do), or the
 *   lock file cannot be written.
 */
export async function lockBatchFolder(folder: string, options: LockBatchFolderOptions = {}): Promise<BatchFolderLock> {
  const path = join(folder, BATCH_LOCK_NAME);
  const owner: BatchLockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(owner)}\n`;
  // A few rounds: between seeing a stale lock and taking it over, another run may do the same.
  for (let round = 0; round < 5; round++) {
    if (await createExclusive(path, text)) return heldLock(path, owner, text);
    const held = await readLock(path);
    if (held === undefined) continue; // released meanwhile
    if (held.owner === undefined || !isStale(held.owner)) throw lockedError(folder, path, held.owner);
    if (await takeOver(path, held.text)) {
      options.onWarning?.(
        `Took over the lock ${path} left by process ${held.owner.pid} (started ${held.owner.startedAt}), which is no longer running: ` +
          'that run was killed. Its unfinished jobs run again.',
      );
    }
  }
  const last = await readLock(path);
  throw lockedError(folder, path, last?.owner);
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw outputFailure(error, path);
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw outputFailure(error, path);
  }
  await handle.close();
  return true;
}

function heldLock(path: string, owner: BatchLockOwner, text: string): BatchFolderLock {
  // Sync, since 'exit' listeners cannot wait: a process.exit (a second Ctrl-C) still frees the folder.
  const onExit = () => {
    try {
      if (readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
    } catch {
      // Gone already.
    }
  };
  process.once('exit', onExit);
  let released = false;
  return {
    path,
    owner,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === text) await rm(path, { force: true });
    },
  };
}

async function readLock(path: string): Promise<{ text: string; owner?: BatchLockOwner } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw outputFailure(error, path);
  }
  try {
    const value = JSON.parse(text) as Partial<BatchLockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string') {
      return { text, owner: value as BatchLockOwner };
    }
  } catch {
    // Not a lock we can read: treated as held, the message says how to remove it.
  }
  return { text };
}

/** A lock is stale only when its process is known dead: on this host, not this process, not running. */
function isStale(owner: BatchLockOwner): boolean {
  return owner.host === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid);
}

/**
 * Moves the stale lock aside and removes it. If what was moved is not the stale lock (another run
 * took it over and locked the folder in between), it is put back and the caller tries again.
 */
async function takeOver(path: string, staleText: string): Promise<boolean> {
  const aside = temporaryPathFor(path, '.stale');
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw outputFailure(error, path);
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
  return moved === staleText;
}

function lockedError(folder: string, path: string, owner: BatchLockOwner | undefined): OutputError {
  const who =
    owner === undefined
      ? `a lock file it cannot read (${path})`
      : `process ${owner.pid} on ${owner.host === hostname() ? 'this machine' : `host ${owner.host}`}, started ${owner.startedAt} (lock file ${path})`;
  const elsewhere = owner !== undefined && owner.host !== hostname() ? ' (vidgan cannot check a process on another machine)' : '';
  return new OutputError(
    `${folder} is in use by another vidgan batch: ${who}${elsewhere}. ` +
      'Wait for that run to finish or stop it, or write to another output folder. ' +
      `If no vidgan batch is running there any more, remove ${path} and run again.`,
    { path, errno: 'EEXIST' },
  );
}
