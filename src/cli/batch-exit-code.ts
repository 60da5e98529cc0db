import type { BatchReport } from '../jobs/batch/run-batch';
import { EXIT_CODES } from './exit-codes';

/**
 * The exit status of `vidgan batch`: 0 when no job failed (skipped ones count as done); when every
 * failure has the same error code, that code's status (3 for bad input, 4 for ffmpeg, …, see
 * {@link EXIT_CODES}); 1 when failures differ or one is not a vidgan error.
 *
 * @example
 * batchExitCode(report); // 3 when the only failure was a corrupt video
 */
export function batchExitCode(report: Pick<BatchReport, 'failed'>): number {
  if (report.failed.length === 0) return 0;
  const codes = new Set(report.failed.map((f) => f.error?.code));
  const [code] = [...codes];
  if (codes.size !== 1 || code === undefined || !(code in EXIT_CODES)) return 1;
  return EXIT_CODES[code as keyof typeof EXIT_CODES];
}
