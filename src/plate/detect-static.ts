import { computeFlow, type FlowOptions } from '../flow/compute-flow';
import { greyPlane } from '../flow/grey-plane';
import type { Frame } from '../pipeline/frame';
import type { MedianPlate } from './median-plate';

/** Options of {@link detectStatic}. */
export interface DetectStaticOptions {
  /** Flow between consecutive samples (default DIS `fast`). */
  readonly flow?: FlowOptions;
  /** A pair of samples is still when the median flow moves less than this, in pixels (default 0.5). */
  readonly maxShiftPx?: number;
  /** The most the summed global shift may drift from the first sample, in pixels (default 2): a slow pan. */
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
  /** The farthest the summed global shift strays from the first sample, in pixels. */
  readonly driftPx: number;
  /** The share of sample pairs whose global shift is under `maxShiftPx`. */
  readonly stillPairs: number;
  /** Median agreement with the plate over the border strips (0..1), where a person rarely stands. */
  readonly borderAgreement: number;
}

/**
 * Tells tripod footage from a moving camera: the global shift between consecutive samples (the
 * median of DIS flow over the frame, so a swaying person, a minority of the pixels, does not count)
 * must stay under `maxShiftPx` for most pairs, their sum must not drift (a slow pan), and the border strips (top, left, right: background in
 * an interview) must agree with the median plate. A pan, a handheld camera or a cut fails one or both.
 *
 * @example const report = await detectStatic(samples, medianPlate(samples.map((f) => f.data), 400, 400));
 * Rejects with {@link EngineError} when the flow fails.
 */
export async function detectStatic(samples: readonly Frame[], plate: MedianPlate, options: DetectStaticOptions = {}): Promise<StaticReport> {
  const maxShift = options.maxShiftPx ?? 0.5;
  const shifts: number[] = [];
  let x = 0, y = 0, driftPx = 0;
  let previous = samples[0] ? greyPlane(samples[0].data, samples[0].width, samples[0].height) : undefined;
  for (const frame of samples.slice(1)) {
    const grey = greyPlane(frame.data, frame.width, frame.height);
    const flow = await computeFlow(previous!, grey, options.flow ?? { preset: 'fast' });
    const [dx, dy] = globalShift(flow.data);
    shifts.push(Math.hypot(dx, dy));
    x += dx;
    y += dy;
    driftPx = Math.max(driftPx, Math.hypot(x, y));
    previous = grey;
  }
  const stillPairs = shifts.length === 0 ? 0 : shifts.filter((s) => s < maxShift).length / shifts.length;
  const borderAgreement = median(borderValues(plate)) / 255;
  return {
    static: stillPairs >= (options.minStillPairs ?? 0.8) && driftPx <= (options.maxDriftPx ?? 2) && borderAgreement >= (options.minBorderAgreement ?? 0.6),
    medianShiftPx: shifts.length === 0 ? Number.NaN : median(shifts),
    driftPx,
    stillPairs,
    borderAgreement,
  };
}

/** The median flow vector (medians of dx and dy over every 4th pixel). */
function globalShift(flow: Float32Array): [number, number] {
  const dx: number[] = [];
  const dy: number[] = [];
  for (let i = 0; i < flow.length; i += 8) {
    dx.push(flow[i]!);
    dy.push(flow[i + 1]!);
  }
  return [median(dx), median(dy)];
}

/** Agreement over strips of 8% of the side along the top, left and right borders. */
function borderValues({ width, height, agreement }: MedianPlate): number[] {
  const strip = Math.max(1, Math.round(0.08 * Math.min(width, height)));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < strip || x < strip || x >= width - strip) out.push(agreement[y * width + x]!);
    }
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
