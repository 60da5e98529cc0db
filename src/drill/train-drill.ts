import type { Pix2Pix } from '../gan/pix2pix';
import { CancelledError, InvalidOptionError } from '../pipeline/errors';
import { expectInteger, expectNumber } from '../pipeline/validate';
import { guideCount, sampleBatch, ImagePair } from './augment';
import { describeGuides } from '../gan/model-options';
import { randomForStep } from '../data/random';
import { etaSeconds, learningRateAt, progressOf } from './schedule';
import { LossWatch, StepLosses } from './watch-loss';

/**
 * The defaults of a drill (`vidgan process`, `batch`, `eval --holdout` and {@link trainDrill}): 1500
 * steps or 150 s, whichever ends first (the published 1185-frame job then takes about 4 minutes end to
 * end on 2 cores), 2 patches per step, learning rate 5e-4 (docs/QUALITY.md, session 12), seed 0, and the
 * alpha loss weighted 10 beside L1's 100 (measured, docs/QUALITY.md: held-out IoU up on 4 of 5 real clips,
 * flicker down on all 5). The CLI shows and uses these same values.
 */
export const DRILL_DEFAULTS = Object.freeze({ steps: 1500, trainSeconds: 150, batchSize: 2, learningRate: 5e-4, seed: 0, alphaLoss: 10, alphaEdgeWeight: 0 });

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
  /** Side of the square training patches. Default {@link drillCropSize}: the whole frame, 256 to 400. */
  readonly cropSize?: number;
  /** Zoom range of the augmentation. Default [0.85, 1.2]. */
  readonly scaleRange?: readonly [number, number];
  /** Mirror patches at random. Default true. */
  readonly flip?: boolean;
  /**
   * Base learning rate. Default {@link DRILL_DEFAULTS}.learningRate, 5e-4: a drill of a few hundred steps
   * from a base adapts faster than at the paper's 2e-4 (docs/QUALITY.md, session 12).
   */
  readonly learningRate?: number;
  /** Fraction of the run after which the learning rate decays linearly to zero. Default 0.5. */
  readonly decayFrom?: number;
  /** Seed of the augmentation stream. Default 0. */
  readonly seed?: number;
  /**
   * Weight of the alpha cross-entropy beside L1 ({@link Pix2Pix.setAlphaLoss}). Default
   * {@link DRILL_DEFAULTS}.alphaLoss; ignored for a model with the rgb head (no alpha).
   */
  readonly alphaLoss?: number;
  /**
   * Extra weight of the alpha loss within 3 px of the target matte's outline (pixels there weigh
   * 1 + alphaEdgeWeight). Default {@link DRILL_DEFAULTS}.alphaEdgeWeight. No effect without the alpha
   * loss (alphaLoss 0, or a model with the rgb head).
   */
  readonly alphaEdgeWeight?: number;
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
 * loss plus the alpha loss (`alphaLoss`) and the paper's optimiser, a learning rate that decays to zero
 * over the second half, and a watch that stops a diverging run. Stops after `steps` or `trainSeconds`,
 * whichever ends first. The model keeps the drill's last learning rate and its alpha loss weight.
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
  const { steps, trainSeconds, batchSize, learningRate: baseRate, seed, checkpointEveryMs, cropSize, scaleRange, decayFrom, alphaLoss, alphaEdgeWeight } = checkDrillOptions(options);
  const budget = { steps, trainSeconds };
  const augment = { cropSize: cropSize ?? drillCropSize(pairs), scaleRange, flip: options.flip };
  checkPairGuides(model, pairs);
  // Only the composite head predicts alpha; the paper's rgb head trains on L1 alone.
  model.setAlphaLoss(model.options.head === 'composite' ? alphaLoss : 0, alphaEdgeWeight);
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
    const learningRate = learningRateAt(baseRate, progressNow(), decayFrom);
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

/** The numeric options of a drill, checked, with their defaults filled in. */
export interface CheckedDrillOptions {
  readonly steps: number;
  readonly trainSeconds: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly decayFrom: number;
  readonly seed: number;
  readonly checkpointEveryMs: number;
  /** Undefined: {@link drillCropSize} of the pairs. */
  readonly cropSize?: number;
  readonly scaleRange?: readonly [number, number];
  readonly startStep?: number;
  readonly alphaLoss: number;
  readonly alphaEdgeWeight: number;
}

/** The smallest and largest side of the default training patches ({@link drillCropSize}). */
export const DRILL_CROP_RANGE = Object.freeze([256, 400] as const);

/**
 * The default side of a drill's training patches: the whole frame (its longer side), kept within
 * {@link DRILL_CROP_RANGE}. Whole 400x400 frames cost three times a 256 patch's step but, at the same
 * training time, scored higher or the same on all five real-footage clips (mean held-out IoU 0.838 against 0.830,
 * docs/QUALITY.md); beyond 400 a step would cost more than measured. Frames smaller than 256 keep the
 * 256 patch of before (the frame centred in it, its edge pixels repeated).
 *
 * @example drillCropSize([{ width: 400, height: 400, … }]) // 400
 */
export function drillCropSize(pairs: readonly Pick<ImagePair, 'width' | 'height'>[]): number {
  const side = Math.max(0, ...pairs.map((p) => Math.max(p.width, p.height)));
  return Math.min(DRILL_CROP_RANGE[1], Math.max(DRILL_CROP_RANGE[0], side));
}

/**
 * Checks the numeric options of a drill and fills in the defaults ({@link DRILL_DEFAULTS}), so that
 * a job can refuse a bad option before any long work: {@link trainDrill} calls it first, and
 * `processVideo`, `runBatch` and `pretrain` call it before they probe, decode or generate anything.
 *
 * @example
 * checkDrillOptions({ steps: -1 }); // throws 'Expected integer between 0 and 100000000 for steps but received -1'
 * @throws {InvalidOptionError} for an option outside its rule (NaN, negative, fractional counts, …).
 */
export function checkDrillOptions(options: Omit<DrillOptions, 'signal' | 'onProgress' | 'onCheckpoint'> = {}): CheckedDrillOptions {
  const steps = expectInteger('steps', options.steps ?? DRILL_DEFAULTS.steps, 0, 100_000_000);
  const trainSeconds = expectNumber('trainSeconds', options.trainSeconds ?? DRILL_DEFAULTS.trainSeconds, 0.001, 1e9);
  const batchSize = expectInteger('batchSize', options.batchSize ?? DRILL_DEFAULTS.batchSize, 1, 256);
  const learningRate = expectNumber('learningRate', options.learningRate ?? DRILL_DEFAULTS.learningRate, 1e-12, 1);
  const decayFrom = expectNumber('decayFrom', options.decayFrom ?? 0.5, 0, 1);
  const seed = expectInteger('seed', options.seed ?? DRILL_DEFAULTS.seed, 0, 0xffffffff);
  const checkpointEveryMs = expectNumber('checkpointEveryMs', options.checkpointEveryMs ?? 120_000, 0, 1e12);
  const cropSize = options.cropSize === undefined ? undefined : expectInteger('cropSize', options.cropSize, 16, 4096);
  const startStep = options.startStep === undefined ? undefined : expectInteger('startStep', options.startStep, 0, Number.MAX_SAFE_INTEGER);
  const alphaLoss = expectNumber('alphaLoss', options.alphaLoss ?? DRILL_DEFAULTS.alphaLoss, 0, 1000);
  const alphaEdgeWeight = expectNumber('alphaEdgeWeight', options.alphaEdgeWeight ?? DRILL_DEFAULTS.alphaEdgeWeight, 0, 1000);
  let scaleRange: readonly [number, number] | undefined;
  if (options.scaleRange !== undefined) {
    const [low, high] = options.scaleRange;
    expectNumber('scaleRange[0]', low, 0.01, 100);
    expectNumber('scaleRange[1]', high, 0.01, 100);
    if (low > high) throw new InvalidOptionError(`Expected scaleRange[0] <= scaleRange[1] but received [${low}, ${high}]`);
    scaleRange = [low, high];
  }
  return { steps, trainSeconds, batchSize, learningRate, decayFrom, seed, checkpointEveryMs, cropSize, scaleRange, startStep, alphaLoss, alphaEdgeWeight };
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

/** The pairs must carry one guide plane per guide of the model (in its order), checked before the first step. */
function checkPairGuides(model: Pix2Pix, pairs: readonly ImagePair[]): void {
  const planes = guideCount(pairs);
  if (planes !== model.guides.length) {
    throw new InvalidOptionError(
      `Expected ${model.guides.length} guide plane(s) ${describeGuides(model.guides)} on every training pair, as the model was built with, but received ${planes}`,
    );
  }
}
