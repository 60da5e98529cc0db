import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { outputFailure } from './output-failure';

/** What {@link writeFileAtomic} writes: bytes, or a function that writes the temporary file itself. */
export type AtomicContent = string | Uint8Array | ((temporaryPath: string) => Promise<void>);

/**
 * A temporary name beside `target` that cannot collide with a real output: it starts with a dot and
 * carries the process id and random bytes (`.talk.mp4.1234.9f3a1c.tmp`), so neither a second run nor a
 * video named `talk.partial.mp4` can ever be taken for it.
 *
 * @example
 * temporaryPathFor('out/talk.mp4'); // 'out/.talk.mp4.4711.a1b2c3d4.tmp'
 */
export function temporaryPathFor(target: string, suffix = '.tmp'): string {
  const unique = `${process.pid}.${randomBytes(4).toString('hex')}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${unique}${suffix}`);
}

/** True for a name made by {@link temporaryPathFor}. */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{8}\.[A-Za-z0-9.]+$/.test(path.basename(name));
}

/**
 * Writes a file atomically: to a unique temporary name beside it, flushed to disk (fsync), renamed
 * over `target`, then the folder is flushed so the rename itself survives a crash. On any failure the
 * temporary file is removed before the promise rejects, so nothing half-written is ever left behind.
 *
 * @example
 * await writeFileAtomic('out/vidgan-batch.json', JSON.stringify(manifest));
 * await writeFileAtomic('out/model.safetensors', async (tmp) => writeMyFormat(tmp));
 * @throws {OutputError} when the file cannot be written (disk full, no permission, folder missing).
 */
export async function writeFileAtomic(target: string, content: AtomicContent): Promise<void> {
  const temporary = temporaryPathFor(target);
  try {
    if (typeof content === 'function') {
      await content(temporary);
    } else {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
    }
    await fsyncPath(temporary);
    await rename(temporary, target);
    await fsyncFolder(path.dirname(target));
  } catch (error) {
    await rm(temporary, { force: true });
    throw outputFailure(error, target);
  }
}

/** Flushes a file's data to disk. */
export async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (a rename into it) to disk; a no-op where folders cannot be opened. */
export async function fsyncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is then as durable as they allow.
  } finally {
    await handle.close();
  }
}
