import { OutputError, VidganError } from '../pipeline/errors';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission was denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder',
  EMFILE: 'too many files are open',
};

/**
 * Turns a file-system error met while writing `target` into an {@link OutputError} that says why and
 * what to do; a {@link VidganError} passes through unchanged.
 *
 * @example
 * try { await writeFile(p, data); } catch (e) { throw outputFailure(e, p); }
 */
export function outputFailure(error: unknown, target: string): VidganError {
  if (error instanceof VidganError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code !== undefined && REASONS[code]) || (error instanceof Error ? error.message : String(error));
  return new OutputError(
    `Could not write ${target}: ${reason}${code !== undefined ? ` (${code})` : ''}. ` +
      'Nothing half-written was left behind. Free some space, or choose another output folder, and run again.',
    { cause: error, path: target, errno: code },
  );
}
