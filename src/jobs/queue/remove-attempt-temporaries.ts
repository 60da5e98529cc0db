import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { temporaryNamePid } from '../batch/remove-stale-temporaries';

/**
 * Removes the temporary files that one process (a killed worker's earlier attempt at this job) left
 * beside an output: `.<name>.<pid>.<random>.tmp…`, including those of its training checkpoint
 * `<name>.model.safetensors`. Only that process's files of that output are touched, so a live
 * writer on another machine sharing the folder is never disturbed. Returns the names removed.
 *
 * @example
 * await removeAttemptTemporaries('out/talk.mp4', 4711); // ['.talk.mp4.4711.a1b2c3d4.tmp.mp4']
 */
export async function removeAttemptTemporaries(out: string, pid: number): Promise<string[]> {
  const prefix = `.${basename(out)}.`;
  const names = await readdir(dirname(out)).catch(() => [] as string[]);
  const left = names.filter((name) => name.startsWith(prefix) && temporaryNamePid(name) === pid);
  for (const name of left) await rm(join(dirname(out), name), { force: true, recursive: true });
  return left.sort();
}
