import { expectNumber } from '../pipeline/validate';
import { checkPlane, checkSameSize, type Plane } from './plane';

/** Options of {@link isHardCut}: the two tests a frame pair must pass to count as one shot. */
export interface CutOptions {
  /**
   * The largest L1 distance between the two frames' 32-bin grey histograms (0 = same, 2 = disjoint)
   * that still counts as one shot (default 0.5: within the DAVIS clips of ../shared/data it stays
   * under 0.16; splicing one clip onto the other measures 0.65 and 0.87).
   */
  readonly histogramDistance?: number;
  /**
   * The largest mean absolute grey difference (0-255) between a frame and its predecessor warped onto
   * it by the flow that still counts as one shot (default 40: at most 26 within the DAVIS clips, fast
   * motion and motion blur included; 50 and 61 at the splices). Motion that the flow follows leaves a
   * small residual; a cut between two shots of one scene (same histogram) does not.
   */
  readonly flowResidual?: number;
}

/** Validated {@link CutOptions} with defaults filled in. */
export interface CutThresholds {
  readonly histogramDistance: number;
  readonly flowResidual: number;
}

/**
 * Fills in and checks {@link CutOptions}.
 *
 * @example
 * cutThresholds({ flowResidual: 30 }); // { histogramDistance: 0.5, flowResidual: 30 }
 * @throws {InvalidOptionError} for a threshold outside its range.
 */
export function cutThresholds(options: CutOptions = {}): CutThresholds {
  return {
    histogramDistance: expectNumber('cut.histogramDistance', options.histogramDistance ?? 0.5, 0, 2),
    flowResidual: expectNumber('cut.flowResidual', options.flowResidual ?? 40, 0, 255),
  };
}

/**
 * L1 distance between the normalised 32-bin histograms of two grey planes: 0 for the same
 * distribution of grey levels, 2 for disjoint ones. Cheap and blind to motion.
 *
 * @example
 * histogramDistance(greyA, greyB); // 0.04 within a shot, ~1 across a cut
 * @throws {InvalidOptionError} when the planes differ in size.
 */
export function histogramDistance(a: Plane, b: Plane): number {
  checkPlane('histogramDistance a', a);
  checkPlane('histogramDistance b', b);
  checkSameSize('histogramDistance', a, b);
  const ha = new Float64Array(32);
  const hb = new Float64Array(32);
  for (let i = 0; i < a.data.length; i++) {
    ha[a.data[i]! >> 3]!++;
    hb[b.data[i]! >> 3]!++;
  }
  let sum = 0;
  for (let k = 0; k < 32; k++) sum += Math.abs(ha[k]! - hb[k]!);
  return sum / a.data.length;
}

/**
 * Mean absolute difference of two grey planes (0-255): with `a` warped onto `b` by the flow, the
 * part of the change the flow does not explain.
 *
 * @example
 * meanAbsDifference(await warpPlane(greyBefore, flow), greyNow); // ~3 within a shot
 * @throws {InvalidOptionError} when the planes differ in size.
 */
export function meanAbsDifference(a: Plane, b: Plane): number {
  checkSameSize('meanAbsDifference', a, b);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/**
 * Decides whether two consecutive frames belong to different shots: their histograms differ by more
 * than `histogramDistance`, or the flow leaves a residual above `flowResidual`.
 *
 * @example
 * isHardCut({ histogramDistance: 0.9, flowResidual: 6 }, cutThresholds()); // true
 */
export function isHardCut(measured: { histogramDistance: number; flowResidual: number }, thresholds: CutThresholds): boolean {
  return measured.histogramDistance > thresholds.histogramDistance || measured.flowResidual > thresholds.flowResidual;
}
