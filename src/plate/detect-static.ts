import { computeFlow, type FlowOptions } from '../flow/compute-flow';
import { greyPlane } from '../flow/grey-plane';
import type { FlowField } from '../flow/plane';
import type { Frame } from '../pipeline/frame';
import type { MedianPlate } from './median-plate';

/** Options of {@link detectStatic}. */
export interface DetectStaticOptions {
  /** Flow between consecutive samples (default DIS `fast`). */
  readonly flow?: FlowOptions;
  /** A pair of samples is still when the median flow moves less than this, in pixels (default 0.5). */
  readonly maxShiftPx?: number;
  /** Most samples (4 in 5) must lie within this many pixels of the median plate (default 1): a slow pan does not. */
  readonly maxDriftPx?: number;
  /** The share of pairs that must be still (default 0.8). */
  readonly minStillPairs?: number;
  /** The median agreement with the plate over the top, left and right borders must reach this share (default 0.6). */
  readonly minBorderAgreement?: number;
}

/** Whether a video's camera stands still, and the facts that say so. */
export interface StaticReport {
  readonly static: boolean;
  /** Median over consecutive sample pairs of the global shift (median flow), in pixels. */
  readonly medianShiftPx: number;
  /** The global shift between the median plate and a sample, 80th percentile over the samples, in pixels. */
  readonly driftPx: number;
  /** The share of sample pairs whose global shift is under `maxShiftPx`. */
  readonly stillPairs: number;
  /** Median agreement with the plate over the border strips (0..1), where a person rarely stands. */
  readonly borderAgreement: number;
}

/**
 * Tells tripod footage from a moving camera: the global shift between consecutive samples (the
 * median of DIS flow over the top, left and right border strips, where an interview shows background)
 * must stay under `maxShiftPx` for most pairs, most samples must lie within `maxDriftPx` of the median
 * plate (a slow pan does not), and the border strips must agree with the median plate. A pan, a handheld camera or a cut fails one or both.
 *
 * @example const report = await detectStatic(samples, medianPlate(samples.map((f) => f.data), 400, 400));
 * @throws {EngineError} when the flow fails (as a rejection).
 */
export async function detectStatic(samples: readonly Frame[], plate: MedianPlate, options: DetectStaticOptions = {}): Promise<StaticReport> {
  const maxShift = options.maxShiftPx ?? 0.5;
  const flowOptions = options.flow ?? { preset: 'fast' };
  const shifts: number[] = [];
  let previous = samples[0] ? greyPlane(samples[0].data, samples[0].width, samples[0].height) : undefined;
  for (const frame of samples.slice(1)) {
    const grey = greyPlane(frame.data, frame.width, frame.height);
    shifts.push(globalShift(await computeFlow(previous!, grey, flowOptions)));
    previous = grey;
  }
  // Summing the pairs' shifts would add up their small biases; the plate itself is the common reference.
  const plateGrey = greyPlane(plate.rgb, plate.width, plate.height);
  const drifts: number[] = [];
  for (const frame of samples) drifts.push(globalShift(await computeFlow(plateGrey, greyPlane(frame.data, frame.width, frame.height), flowOptions)));
  const driftPx = percentile(drifts, 0.8);
  const stillPairs = shifts.length === 0 ? 0 : shifts.filter((s) => s < maxShift).length / shifts.length;
  const borderAgreement = median(borderValues(plate)) / 255;
  return {
    static: stillPairs >= (options.minStillPairs ?? 0.8) && driftPx <= (options.maxDriftPx ?? 1) && borderAgreement >= (options.minBorderAgreement ?? 0.6),
    medianShiftPx: shifts.length === 0 ? Number.NaN : median(shifts),
    driftPx,
    stillPairs,
    borderAgreement,
  };
}

/**
 * The length of the median flow vector over the border strips: the camera's own motion, which a
 * swaying person in the middle (often 40% of the frame) would bias if the whole frame counted.
 */
function globalShift({ width, height, data }: FlowField): number {
  const dx: number[] = [];
  const dy: number[] = [];
  for (const p of borderPixels(width, height)) {
    dx.push(data[2 * p]!);
    dy.push(data[2 * p + 1]!);
  }
  return Math.hypot(median(dx), median(dy));
}

/** Agreement over the border strips. */
function borderValues({ width, height, agreement }: MedianPlate): number[] {
  return borderPixels(width, height).map((p) => agreement[p]!);
}

/** The pixels of strips of 8% of the side along the top, left and right borders (an interview's background). */
function borderPixels(width: number, height: number): number[] {
  const strip = Math.max(1, Math.round(0.08 * Math.min(width, height)));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < strip || x < strip || x >= width - strip) out.push(y * width + x);
    }
  }
  return out;
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}
