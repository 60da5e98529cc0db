import { TrainingDivergedError } from '../pipeline/errors';

/** Losses of one training step, as the engine reports them. */
export interface StepLosses {
  readonly gan: number;
  readonly l1: number;
  readonly d: number;
  readonly total: number;
}

/** Options of {@link LossWatch}. */
export interface LossWatchOptions {
  /** Steps before the watch judges a rise, while the first batches settle. Default 50. */
  readonly warmupSteps?: number;
  /** The smoothed L1 may rise to this multiple of its lowest smoothed value. Default 4. */
  readonly maxRise?: number;
  /** Smoothing factor of the exponential average of L1. Default 0.05 (about 20 steps). */
  readonly smoothing?: number;
  /**
   * A smoothed L1 below this is never divergence, however far it rose from its best. Default 0.1
   * (on the [-1, 1] scale, about 13 grey levels): a model that overfits its few pairs to an L1 of
   * 0.007 and then wanders to 0.03 is still drawing the right picture.
   */
  readonly minL1?: number;
}

/**
 * Watches training losses and stops a run that diverges: a non-finite loss at once, or an L1 that,
 * smoothed over about twenty steps, climbs to several times the best it reached and past an absolute
 * floor. A few-shot GAN's L1 wanders by tens of percent; a fourfold rise to a visible error means the
 * generator has left the data.
 *
 * @example
 * const watch = new LossWatch();
 * watch.observe(step, losses); // throws TrainingDivergedError when the run diverges
 */
export class LossWatch {
  private smoothed = Number.NaN;
  private best = Number.POSITIVE_INFINITY;
  private readonly warmupSteps: number;
  private readonly maxRise: number;
  private readonly smoothing: number;
  private readonly minL1: number;

  constructor(options: LossWatchOptions = {}) {
    this.warmupSteps = options.warmupSteps ?? 50;
    this.maxRise = options.maxRise ?? 4;
    this.smoothing = options.smoothing ?? 0.05;
    this.minL1 = options.minL1 ?? 0.1;
  }

  /** The exponentially smoothed L1 so far (NaN before the first step). */
  get smoothedL1(): number {
    return this.smoothed;
  }

  /**
   * Takes one step's losses.
   *
   * @throws {TrainingDivergedError} when a loss is not finite or the smoothed L1 has risen too far.
   */
  observe(step: number, losses: StepLosses): void {
    for (const [name, value] of Object.entries(losses)) {
      if (!Number.isFinite(value)) {
        throw new TrainingDivergedError(
          `Training diverged at step ${step}: the ${name} loss is ${value}. ` +
            'Lower the learning rate (--learning-rate), or check that the edited frames match their source frames.',
        );
      }
    }
    this.smoothed = Number.isNaN(this.smoothed)
      ? losses.l1
      : this.smoothed + this.smoothing * (losses.l1 - this.smoothed);
    if (step < this.warmupSteps) return;
    this.best = Math.min(this.best, this.smoothed);
    if (this.smoothed > this.best * this.maxRise && this.smoothed > this.minL1) {
      throw new TrainingDivergedError(
        `Training diverged at step ${step}: the L1 loss rose to ${this.smoothed.toFixed(4)}, ` +
          `${(this.smoothed / this.best).toFixed(1)} times its best of ${this.best.toFixed(4)}. ` +
          'Lower the learning rate (--learning-rate), or check that the edited frames match their source frames.',
      );
    }
  }
}
