import { UnrecoverableError } from 'bullmq';
import { VidganError, type VidganErrorCode } from '../../pipeline/errors';

/**
 * Codes that fail the same way however often they are tried: a queued job failing with one of these
 * is failed at once rather than retried.
 */
export const FINAL_CODES: ReadonlySet<VidganErrorCode> = new Set(['INVALID_OPTION', 'BAD_INPUT', 'CHECKPOINT_INVALID', 'OUTPUT_EXISTS', 'TRAINING_DIVERGED']);

/**
 * The error a worker's processor throws for a job's failure: its message is the job's failed reason,
 * `<CODE>: <message>` (`UNEXPECTED` for an error that is not a vidgan error), and a final code
 * becomes BullMQ's `UnrecoverableError` so that the job is not retried.
 *
 * @example
 * throw queueError(new BadInputError('a.mp4 is not a video ffmpeg can read')); // UnrecoverableError('BAD_INPUT: …')
 */
export function queueError(error: unknown): Error {
  const code = error instanceof VidganError ? error.code : 'UNEXPECTED';
  const message = `${code}: ${error instanceof Error ? error.message : String(error)}`;
  return error instanceof VidganError && FINAL_CODES.has(error.code) ? new UnrecoverableError(message) : new Error(message, { cause: error });
}

/**
 * Splits a failed reason written by {@link queueError} back into code and message.
 *
 * @example
 * parseFailedReason('BAD_INPUT: a.mp4 is not a video'); // { code: 'BAD_INPUT', message: 'a.mp4 is not a video' }
 */
export function parseFailedReason(reason: string): { code: string; message: string } {
  const match = /^([A-Z_]+): ([\s\S]*)$/.exec(reason);
  return match === null ? { code: 'UNEXPECTED', message: reason } : { code: match[1] as string, message: match[2] as string };
}
