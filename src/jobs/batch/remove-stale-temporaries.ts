import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTemporaryName } from '../../io/write-file-atomic';
import { isProcessAlive } from './is-process-alive';

/**
 * The process id a temporary name made by `temporaryPathFor` carries (`.talk.mp4.4711.a1b2c3d4.tmp.mp4`
 * → 4711), or undefined for any other name.
 *
 * @example
 * temporaryNamePid('.talk.mp4.4711.a1b2c3d4.tmp.mp4'); // 4711
 */
export function temporaryNamePid(name: string): number | undefined {
  if (!isTemporaryName(name)) return undefined;
  const last = [...name.matchAll(/\.(\d+)\.[0-9a-f]{8}\./g)].pop();
  return last === undefined ? undefined : Number(last[1]);
}

/**
 * Removes the temporary files a killed process left in `folder`: names made by `temporaryPathFor`
 * whose process is no longer running on this machine. A run whose process is alive (this one, or
 * another command writing there) is never touched. Call it only while holding the folder's batch
 * lock, so no other batch is writing there. Returns the names removed.
 *
 * @example
 * const lock = await lockBatchFolder('out');
 * await removeStaleTemporaries('out'); // ['.talk.mp4.4711.a1b2c3d4.tmp.mp4']
 */
export async function removeStaleTemporaries(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = temporaryNamePid(name);
    return pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
  });
  for (const name of stale) await rm(join(folder, name), { force: true, recursive: true });
  return stale.sort();
}
