import { basename, extname, join } from 'node:path';
import { InvalidOptionError } from '../../pipeline/errors';
import type { BatchJob } from './batch-job';

/**
 * The output a video gets in an output folder: `<dir>/<video name without extension><suffix>`, the
 * suffix being the output format's extension (default `.mp4`; `''` for a folder of PNGs).
 *
 * @example
 * outputNameFor('talks/week-1.mov', 'out'); // 'out/week-1.mp4'
 * outputNameFor('talks/week-1.mov', 'out', '.webm'); // 'out/week-1.webm'
 */
export function outputNameFor(video: string, dir: string, suffix = '.mp4'): string {
  return join(dir, `${basename(video, extname(video))}${suffix}`);
}

/**
 * Refuses jobs that would write the same output (for example `a/talk.mp4` and `b/talk.mov` both into
 * `out/talk.mp4`), naming both videos, before anything runs.
 *
 * @example
 * checkDistinctOutputs(jobs);
 * @throws {InvalidOptionError} naming the two jobs and the shared output.
 */
export function checkDistinctOutputs(jobs: readonly BatchJob[]): void {
  const byOut = new Map<string, BatchJob>();
  for (const job of jobs) {
    const first = byOut.get(job.out);
    if (first !== undefined) {
      throw new InvalidOptionError(
        `${first.video} and ${job.video} would both be written to ${job.out}. ` +
          'Rename one of the videos, convert them in separate batches, or give each its own "out" in a jobs file.',
      );
    }
    byOut.set(job.out, job);
  }
}
