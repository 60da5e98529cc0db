import type { Observable } from 'rxjs';
import { BadInputError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { detectStatic, type DetectStaticOptions, type StaticReport } from './detect-static';
import { medianPlate, type MedianPlate } from './median-plate';
import { refinePlate, type BackgroundPlate, type PlateEdit } from './refine-plate';
import { sampleFrames } from './sample-frames';

/** Options of {@link estimatePlate}. */
export interface EstimatePlateOptions extends DetectStaticOptions {
  /** A pass over the video, paced by the budget it is given (as `decodeVideo` with `budget`). */
  readonly frames: (budget: FrameBudget) => Observable<Frame>;
  /** The edits' alpha (frame index → 255 where the subject was kept): where they show the background. */
  readonly edits?: ReadonlyMap<number, Uint8Array>;
  /** Frames sampled over the whole video for the median (default 60). */
  readonly maxSamples?: number;
}

/** What one pass over a video says about its background. */
export interface PlateEstimate {
  /** Whether the camera stands still, and why; when it does not, {@link plateFor} gives no plate. */
  readonly motion: StaticReport;
  readonly median: MedianPlate;
  /** The edited frames' source pixels and alphas. */
  readonly edits: readonly PlateEdit[];
  /** Frames sampled, and their spacing. */
  readonly samples: number;
  readonly stride: number;
}

/**
 * Estimates the clean background of tripod footage in one pass over the video: up to `maxSamples`
 * frames spread over all of it (memory flat for any length), their per-pixel median, and whether the
 * camera is still ({@link detectStatic}). The edits' source frames are kept from the same pass so that
 * {@link plateFor} can correct the median where they show the background.
 *
 * @example
 * const estimate = await estimatePlate({ frames: (budget) => decodeVideo(video, { fps: 10, crop: 400, budget }), edits });
 * const plate = plateFor(estimate); // undefined when the camera moves
 * @throws {BadInputError} for a video without frames (as a rejection); also rejects with the pass's errors or an {@link EngineError} when the flow fails.
 */
export async function estimatePlate(options: EstimatePlateOptions): Promise<PlateEstimate> {
  const alphas = options.edits ?? new Map<number, Uint8Array>();
  const sampled = await sampleFrames({ frames: options.frames, maxSamples: options.maxSamples, keep: new Set(alphas.keys()) });
  const first = sampled.samples[0];
  if (first === undefined) throw new BadInputError('estimatePlate: the pass over the video delivered no frames; check the video, fps and crop.');
  const median = medianPlate(sampled.samples.map((f) => f.data), first.width, first.height);
  const motion = await detectStatic(sampled.samples, median, options);
  const edits = [...alphas].flatMap(([index, alpha]) => {
    const frame = sampled.kept.get(index);
    return frame === undefined ? [] : [{ index, rgb: frame.data, alpha }];
  });
  return { motion, median, edits, samples: sampled.samples.length, stride: sampled.stride };
}

/**
 * The plate to compare frames with: the median corrected by the edits (all, or all but `exclude`, the
 * picked frame a training guide is made for), or `undefined` when the camera moves.
 *
 * @example const plate = plateFor(estimate, 12); // for pick 12's training guide
 */
export function plateFor(estimate: PlateEstimate, exclude?: number): BackgroundPlate | undefined {
  if (!estimate.motion.static) return undefined;
  return refinePlate(estimate.median, estimate.edits.filter((edit) => edit.index !== exclude));
}
