import { DEFAULT_TOLERANCE } from '../eval/non-white-mask';
import { scoreFrame } from '../eval/score-frame';
import { summarize } from '../eval/summarize';
import type { HeldOutPrediction, HoldoutFrameScore, HoldoutFold, HoldoutReport } from '../report/holdout-report';
import { defaultBasePath } from '../gan/default-base';
import type { ModelOptions } from '../gan/model-options';
import { Pix2Pix, type Device } from '../gan/pix2pix';
import type { GuideSpec } from '../gan/widen-to-guides';
import { expectInteger } from '../pipeline/validate';
import { assignFolds } from '../drill/assign-folds';
import { FLOW_ALPHA_GUIDE } from '../flow/propagate-alpha';
import { clearStrays, type StrayMode } from '../patch/drop-strays';
import type { ImagePair } from '../drill/augment';
import { trainDrill, type DrillOptions, type DrillProgress } from '../drill/train-drill';

/** Options of {@link crossValidate}. */
export interface HoldoutOptions {
  /** Number of folds, 2 … number of picks (that many is leave-one-out). */
  readonly k: number;
  /** Checkpoint every fold starts from; `'none'` creates a fresh model. Default: the bundled base. */
  readonly base?: string;
  /** Architecture of the fresh model when `base` is `'none'` (default preset `fast`). */
  readonly modelOptions?: Partial<ModelOptions>;
  /**
   * The guides every fold's model takes, with the one the alpha head adds; the pairs must carry their
   * planes in this order ({@link GuideKit.forPicks}). Default none.
   */
  readonly guides?: GuideSpec;
  /**
   * Drill training of each fold. The budget (`trainSeconds`, `steps`) applies to every fold, so k
   * folds take about k times one training: give each fold the budget of the real training for an
   * honest estimate, or less for a quicker, pessimistic one.
   */
  readonly training?: Omit<DrillOptions, 'signal' | 'onProgress' | 'onCheckpoint'>;
  readonly device?: Device;
  readonly threads?: number;
  /** Mask tolerance of the non-white region (see `nonWhiteMask`). Default 24. */
  readonly tolerance?: number;
  readonly signal?: AbortSignal;
  /** Called when a fold starts. */
  readonly onFold?: (fold: number, folds: number, heldOut: readonly number[]) => void;
  /** Called after every training step of every fold. */
  readonly onTrainProgress?: (fold: number, progress: DrillProgress) => void;
  /**
   * Erase strays from each held-out prediction as the stream does ({@link clearStrays}: `'regions'` or
   * `'pixels'`), with the `flow-alpha` guide the pair carries; needs that guide and the composite head.
   * Default none: the generator's own output.
   */
  readonly strays?: StrayMode;
  /** Called with each held-out prediction (for a report): the input, the model's output and the edit. */
  readonly onPrediction?: (prediction: HeldOutPrediction) => void;
}

export type { HeldOutPrediction, HoldoutFrameScore, HoldoutFold, HoldoutReport } from '../report/holdout-report';

/** A picked frame for {@link crossValidate}: its index, source frame and edited frame. */
export interface IndexedPair extends ImagePair {
  readonly index: number;
  /**
   * The pick's guides as a frame near it gets them (`GuideKit.trainingGuides`' `nearby`): where the
   * pair trains, it also trains with these, as `processVideo` trains it; it is scored with `guides`.
   */
  readonly nearbyGuides?: readonly Uint8Array[];
}

/**
 * k-fold hold-out validation over picked pairs: for each fold, a fresh model from `base` is
 * drill-trained on the other pairs, generates the held-out frames, and they are scored against their
 * edited images (IoU of the non-white region, PSNR, SSIM, L1). The result is the quality to expect on
 * the frames nobody edited, with its spread. Folds deal the frames out in turn (see {@link assignFolds}).
 *
 * @example
 * const h = await crossValidate(pairs, { k: 5, base: 'none', training: { trainSeconds: 60 } });
 * console.log(`IoU ${h.meanIoU.toFixed(3)} ± ${h.stdIoU.toFixed(3)}`);
 * @throws {InvalidOptionError} for fewer than 2 pairs, `k` outside 2 … pairs, or pairs of different sizes.
 * @throws {CheckpointError}, {TrainingDivergedError}, {CancelledError}, {EngineError}.
 */
export async function crossValidate(pairs: readonly IndexedPair[], options: HoldoutOptions): Promise<HoldoutReport> {
  const tolerance = expectInteger('tolerance', options.tolerance ?? DEFAULT_TOLERANCE, 0, 254);
  const folds = assignFolds(
    pairs.map((p) => p.index),
    options.k,
  );
  const started = performance.now();
  const byIndex = new Map(pairs.map((p) => [p.index, p]));
  const flowIndex = options.guides?.guides.indexOf(FLOW_ALPHA_GUIDE) ?? -1;
  const results: HoldoutFold[] = [];
  const perFrame: HoldoutFrameScore[] = [];
  for (const [fold, heldOut] of folds.entries()) {
    options.onFold?.(fold, folds.length, heldOut);
    const held = new Set(heldOut);
    const trainPairs = pairs.filter((p) => !held.has(p.index)).flatMap((p) => (p.nearbyGuides ? [p, { ...p, guides: p.nearbyGuides }] : [p]));
    const model = await openModel(options);
    try {
      const training = await trainDrill(
        model,
        trainPairs,
        { ...options.training, signal: options.signal, onProgress: (p) => options.onTrainProgress?.(fold, p) },
      );
      const scores: HoldoutFrameScore[] = [];
      for (const frame of heldOut) {
        const { input, target, width, height, guides } = byIndex.get(frame)!;
        const planes = guides !== undefined && guides.length > 0 ? concat(guides) : undefined;
        const flowAlpha = options.strays !== undefined && model.options.head === 'composite' ? guides?.[flowIndex] : undefined;
        const generated = await model.generate(input, 1, height, width, { ...(planes !== undefined ? { guides: planes } : {}), ...(flowAlpha !== undefined ? { alpha: true } : {}) });
        const rgb =
          flowAlpha !== undefined && generated.alpha !== undefined
            ? (clearStrays(generated.rgb, generated.alpha, flowAlpha, width, height, { pixels: options.strays === 'pixels' })?.rgb ?? generated.rgb)
            : generated.rgb;
        const score = { ...scoreFrame(frame, rgb, width, height, { edited: target, tolerance }), fold };
        scores.push(score);
        options.onPrediction?.({ fold, score, width, height, input, output: rgb, target });
      }
      perFrame.push(...scores);
      results.push({
        fold,
        heldOut,
        trainPairs: pairs.length - heldOut.length,
        steps: training.stepsThisRun,
        trainSeconds: training.trainSeconds,
        meanIoU: mean(scores.map((s) => s.iou!)),
        meanPSNR: mean(scores.map((s) => s.psnr!)),
        meanSSIM: mean(scores.map((s) => s.ssim!)),
        curve: training.curve,
      });
    } finally {
      model.dispose();
    }
  }
  perFrame.sort((a, b) => a.index - b.index);
  return summariseHoldout(results, perFrame, (performance.now() - started) / 1000);
}

/**
 * Builds a {@link HoldoutReport} from its folds and per-frame scores: the per-metric summaries and
 * the headline figures taken from them.
 *
 * @example
 * const report = summariseHoldout(folds, perFrame, 48.2);
 */
export function summariseHoldout(
  folds: readonly HoldoutFold[],
  perFrame: readonly HoldoutFrameScore[],
  seconds: number,
): HoldoutReport {
  const summaries = {
    iou: summarize(perFrame.map((s) => s.iou!)),
    psnr: summarize(perFrame.map((s) => s.psnr!)),
    ssim: summarize(perFrame.map((s) => s.ssim!)),
    l1: summarize(perFrame.map((s) => s.l1!)),
  };
  return {
    k: folds.length,
    folds,
    perFrame,
    meanIoU: summaries.iou.mean,
    stdIoU: summaries.iou.std,
    minIoU: summaries.iou.min,
    meanPSNR: summaries.psnr.mean,
    stdPSNR: summaries.psnr.std,
    meanSSIM: summaries.ssim.mean,
    stdSSIM: summaries.ssim.std,
    meanL1: summaries.l1.mean,
    summaries,
    seconds,
  };
}

async function openModel(options: HoldoutOptions): Promise<Pix2Pix> {
  const engine = { device: options.device, threads: options.threads };
  const spec = options.guides ?? { guides: [] };
  const base = options.base ?? defaultBasePath(spec);
  if (base === 'none') return Pix2Pix.create({ ...options.modelOptions, ...spec, ...engine, seed: options.training?.seed });
  return Pix2Pix.loadWithGuides(base, spec, engine);
}

function concat(planes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(planes.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const plane of planes) {
    out.set(plane, at);
    at += plane.length;
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
