import type { VidganErrorCode } from '../pipeline/errors';

/**
 * The exit status of `vidgan` for each error code; 1 for anything else (a bug).
 * 130 for a cancel follows the shell convention for Ctrl-C (128 + SIGINT).
 */
export const EXIT_CODES: Readonly<Record<VidganErrorCode, number>> = {
  INVALID_OPTION: 2,
  BAD_INPUT: 3,
  FFMPEG_FAILED: 4,
  ENGINE_LOAD_FAILED: 5,
  ENGINE_ERROR: 6,
  TRAINING_DIVERGED: 7,
  CHECKPOINT_INVALID: 8,
  OUTPUT_EXISTS: 9,
  OUTPUT_FAILED: 10,
  CANCELLED: 130,
};

/**
 * The exit status for an error thrown by a command.
 *
 * @example
 * exitCodeFor(new BadInputError('…')); // 3
 */
export function exitCodeFor(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in EXIT_CODES ? EXIT_CODES[code as VidganErrorCode] : 1;
}
