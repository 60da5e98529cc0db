import { existsSync } from 'node:fs';
import { FfmpegError } from '../../pipeline/errors';

/**
 * Finds the ffmpeg binary: `FFMPEG_PATH` when set, else the static build shipped by
 * `@ffmpeg-installer/ffmpeg` (ffmpeg 4.1).
 *
 * @example
 * const ffmpeg = resolveFfmpegPath(); // '/…/node_modules/@ffmpeg-installer/linux-x64/ffmpeg'
 * @throws {FfmpegError} when the binary named by `FFMPEG_PATH` or the installer does not exist.
 */
export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FFMPEG_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw missingBinary(fromEnv, 'FFMPEG_PATH names');
    return fromEnv;
  }
  let installed: string;
  try {
    // Required lazily so that a broken optional platform package surfaces as a FfmpegError.
    installed = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (cause) {
    throw missingBinary('@ffmpeg-installer/ffmpeg', 'the package', cause);
  }
  if (!existsSync(installed)) throw missingBinary(installed, '@ffmpeg-installer/ffmpeg points at');
  return installed;
}

/** The error for an ffmpeg binary that cannot be found or started. */
export function missingBinary(path: string, origin: string, cause?: unknown): FfmpegError {
  return new FfmpegError(
    `ffmpeg binary not found: ${origin} ${path}, which does not exist or cannot be run. ` +
      'Set FFMPEG_PATH to an ffmpeg executable, or reinstall @ffmpeg-installer/ffmpeg (npm ci).',
    { command: [path], exitCode: null, stderrTail: '' },
    { cause },
  );
}
