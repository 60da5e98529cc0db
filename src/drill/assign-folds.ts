import { InvalidOptionError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';

/**
 * Splits picked frames into `k` folds for cross-validation: frames are sorted and dealt out in turn
 * (frame 1 to fold 0, frame 2 to fold 1, …), so every fold spans the whole video rather than one
 * stretch of it, and fold sizes differ by at most one. `k` equal to the number of frames is
 * leave-one-out.
 *
 * @example
 * assignFolds([40, 10, 30, 20, 50], 2); // [[10, 30, 50], [20, 40]]
 * @throws {InvalidOptionError} when there are fewer than two frames or `k` is not an integer in 2…frames.
 */
export function assignFolds(frames: readonly number[], k: number): number[][] {
  if (frames.length < 2) {
    throw new InvalidOptionError(
      `Expected at least 2 picks for hold-out validation but received ${frames.length}; edit more frames or leave out --holdout.`,
    );
  }
  expectInteger('holdout', k, 2, frames.length);
  const folds: number[][] = Array.from({ length: k }, () => []);
  [...frames].sort((a, b) => a - b).forEach((frame, i) => folds[i % k]!.push(frame));
  return folds;
}
