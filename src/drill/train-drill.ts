import type { Pix2Pix } from '../gan/pix2pix';
import { CancelledError } from '../pipeline/errors';
import { sampleBatch, ImagePair } from './augment';
import { randomForStep } from './random';
import { etaSeconds, learningRateAt, progressOf } from './schedule';
import { LossWatch, StepLosses } from './watch-loss';

/** Options of {@link trainDrill}. */
export interface DrillOptions {
  /** Stop after this many steps of this drill (a resumed drill counts the steps it resumed from). Default 1500. */
  readonly steps?: number;
  /**
   * The model's step counter when this drill began: a model loaded from a base checkpoint carries the
   * base's steps, and a resumed drill's checkpoint records where the drill started. Default: the
   * model's step now (a fresh drill).
   */
  readonly startStep?: number;
  /** Stop after this many seconds of training in this run. Default 150: the published 1185-frame job then takes about 4 minutes end to end on 2 cores. */
  readonly trainSeconds?: number;
  /** Patches per step. Default 2. */
  readonly batchSize?: number;
  /** Side of the square training patches. Default 256: large enough to hold a head and shoulders. */
  readonly cropSize?: number;
  /** Zoom range of the augmentation. Default [0.85, 1.2]. */
  readonly scaleRange?: readonly [number, number];
  /** Mirror patches at random. Default true. */
  readonly flip?: boolean;
  /** Base learning rate. Default 2e-4 (the paper's). */
  readonly learningRate?: number;
  /** Fraction of the run after which the learning rate decays linearly to zero. Default 0.5. */
  readonly decayFrom?: number;
  /** Seed of the augmentation stream. Default 0. */
  readonly seed?: number;
  /** Called every few steps and at the end: save a checkpoint here. Default every 120 s. */
  readonly checkpointEveryMs?: number;
  readonly onCheckpoint?: (step: number) => Promise<void>;
  /** Called after every step. */
  readonly onProgress?: (progress: DrillProgress) => void;
  /** Stops training between steps; a checkpoint is written first when `onCheckpoint` is set. */
  readonly signal?: AbortSignal;
}

/** Where a drill run stands, after one step. */
export interface DrillProgress {
  readonly step: number;
  readonly totalSteps: number;
  /** Fraction of the budget spent, 0 to 1. */
  readonly progress: number;
  readonly elapsedSeconds: number;
  readonly etaSeconds: number;
  readonly learningRate: number;
  readonly losses: StepLosses;
}

/** One point of the loss curve. */
export interface LossPoint extends StepLosses {
  readonly step: number;
  readonly seconds: number;
}

/** What a drill run did. */
export interface DrillReport {
  /** Steps of this drill at the end (includes resumed steps). */
  readonly steps: number;
  /** Steps taken in this run. */
  readonly stepsThisRun: number;
  readonly trainSeconds: number;
  /** Why training stopped. */
  readonly stoppedBy: 'steps' | 'time';
  /** Losses averaged over windows of about 1% of the run: the loss curve. */
  readonly curve: readonly LossPoint[];
}

/**
 * Drill-trains a pix2pix model on a few (frame, edited frame) pairs: augmented patches, the paper's
 * loss and optimiser, a learning rate that decays to zero over the second half, and a watch that
 * stops a diverging run. Stops after `steps` or `trainSeconds`, whichever ends first.
 *
 * Each step draws its patches from a random stream derived from the seed and the step number, so a run
 * resumed from a checkpoint continues exactly as an uninterrupted one would.
 *
 * @example
 * const report = await trainDrill(model, pairs, { trainSeconds: 120, onProgress: console.log });
 * @throws {TrainingDivergedError} when a loss is not finite or L1 climbs far above its best.
 * @throws {CancelledError} when `signal` aborts (after writing a checkpoint).
 */
export async function trainDrill(model: Pix2Pix, pairs: readonly ImagePair[], options: DrillOptions = {}): Promise<DrillReport> {
  const budget = { steps: options.steps ?? 1500, trainSeconds: options.trainSeconds ?? 150 };
  const batchSize = options.batchSize ?? 2;
  const baseRate = options.learningRate ?? 2e-4;
  const seed = options.seed ?? 0;
  const checkpointEveryMs = options.checkpointEveryMs ?? 120_000;
  const augment = { cropSize: options.cropSize ?? 256, scaleRange: options.scaleRange, flip: options.flip };
  const watch = new LossWatch();
  const curve = new CurveRecorder(Math.max(1, Math.round(budget.steps / 100)));

  const runStart = model.step;
  const startStep = options.startStep ?? runStart;
  const drillStep = () => model.step - startStep;
  const started = performance.now();
  let lastCheckpoint = started;
  const elapsed = () => (performance.now() - started) / 1000;

  // The time budget is for this run; the step budget counts the steps a resumed model already has.
  const progressNow = () => progressOf(budget, drillStep(), elapsed());
  let stoppedBy: DrillReport['stoppedBy'] = 'steps';
  while (drillStep() < budget.steps) {
    if (elapsed() >= budget.trainSeconds) {
      stoppedBy = 'time';
      break;
    }
    if (options.signal?.aborted) {
      await options.onCheckpoint?.(drillStep());
      throw new CancelledError(`Training stopped at step ${drillStep()}.`);
    }
    const learningRate = learningRateAt(baseRate, progressNow(), options.decayFrom ?? 0.5);
    model.setLearningRate(learningRate);
    const batch = sampleBatch(pairs, batchSize, augment, randomForStep(seed, drillStep()));
    const losses = await model.trainStep(batch);
    watch.observe(drillStep(), losses);
    curve.add(drillStep(), elapsed(), losses);

    const progress = progressNow();
    options.onProgress?.({
      step: drillStep(),
      totalSteps: budget.steps,
      progress,
      elapsedSeconds: elapsed(),
      etaSeconds: etaSeconds(progress, elapsed()),
      learningRate,
      losses,
    });
    if (options.onCheckpoint && performance.now() - lastCheckpoint >= checkpointEveryMs) {
      await options.onCheckpoint(drillStep());
      lastCheckpoint = performance.now();
    }
  }
  curve.flush();
  return {
    steps: drillStep(),
    stepsThisRun: model.step - runStart,
    trainSeconds: elapsed(),
    stoppedBy,
    curve: curve.points,
  };
}

/** Averages losses over windows of `every` steps. */
class CurveRecorder {
  readonly points: LossPoint[] = [];
  private sum = { gan: 0, l1: 0, d: 0, total: 0 };
  private count = 0;
  private last = { step: 0, seconds: 0 };

  constructor(private readonly every: number) {}

  add(step: number, seconds: number, losses: StepLosses): void {
    this.sum = {
      gan: this.sum.gan + losses.gan,
      l1: this.sum.l1 + losses.l1,
      d: this.sum.d + losses.d,
      total: this.sum.total + losses.total,
    };
    this.count++;
    this.last = { step, seconds };
    if (this.count >= this.every) this.flush();
  }

  flush(): void {
    if (this.count === 0) return;
    const n = this.count;
    this.points.push({
      ...this.last,
      gan: this.sum.gan / n,
      l1: this.sum.l1 / n,
      d: this.sum.d / n,
      total: this.sum.total / n,
    });
    this.sum = { gan: 0, l1: 0, d: 0, total: 0 };
    this.count = 0;
  }
}
