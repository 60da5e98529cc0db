/** When drill training stops: after `steps` steps or `trainSeconds` seconds, whichever comes first. */
export interface Budget {
  readonly steps: number;
  readonly trainSeconds: number;
}

/**
 * Fraction of the budget spent, in [0, 1]: the larger of the step and the time fractions, so that a
 * schedule works the same whether steps or seconds end the run.
 *
 * @example progressOf({ steps: 100, trainSeconds: 60 }, 50, 45) // 0.75
 */
export function progressOf(budget: Budget, step: number, elapsedSeconds: number): number {
  return Math.min(1, Math.max(step / budget.steps, elapsedSeconds / budget.trainSeconds));
}

/**
 * The learning rate at a point of the run: constant, then falling linearly to zero from
 * `decayFrom` to the end, as pix2pix does over its second half (Isola et al. 2017, §4). Decaying to
 * zero makes the last steps small, so the delivered weights do not depend on which noisy batch came last.
 *
 * @example learningRateAt(2e-4, 0.75, 0.5) // 1e-4
 */
export function learningRateAt(base: number, progress: number, decayFrom = 0.5): number {
  if (progress <= decayFrom) return base;
  return base * Math.max(0, (1 - progress) / (1 - decayFrom));
}

/**
 * Estimated seconds left, from the progress made so far.
 *
 * @example etaSeconds(0.25, 30) // 90
 */
export function etaSeconds(progress: number, elapsedSeconds: number): number {
  if (progress <= 0) return Number.POSITIVE_INFINITY;
  return (elapsedSeconds * (1 - progress)) / progress;
}
