import { InvalidOptionError } from '../pipeline/errors';
import type { BackgroundPlate } from './refine-plate';
import { boxMean } from '../flow/box-mean';

/** The guide's name: how far each pixel's neighbourhood differs from the background plate. */
export const PLATE_DIFFERENCE_GUIDE = 'plate-difference';

/** Options of {@link plateDifference}. */
export interface PlateDifferenceOptions {
  /** Half the side of the box the colour distance is averaged over (default 2: 5x5). */
  readonly radius?: number;
  /** Mean distance (largest channel difference, 0..255) at or below which a patch equals the plate (default 6). */
  readonly low?: number;
  /** Mean distance at or above which a patch differs from the plate (default 24). */
  readonly high?: number;
}

/**
 * The `plate-difference` guide plane of one frame: 0 where the patch around a pixel equals the
 * background plate (background), 255 where it differs (something in front of it), through a smooth
 * step between `low` and `high`; pulled toward 128 (no information) as the plate's confidence falls.
 * With no plate (the camera moves) the plane is 128 everywhere.
 *
 * @example const plane = plateDifference(frame.data, plate); // width * height bytes
 * @throws {InvalidOptionError} when the frame is not the plate's size.
 */
export function plateDifference(rgb: Uint8Array, plate: BackgroundPlate | undefined, options: PlateDifferenceOptions = {}): Uint8Array {
  if (plate === undefined) return new Uint8Array(rgb.length / 3).fill(128);
  const { width, height } = plate;
  if (rgb.length !== width * height * 3) {
    throw new InvalidOptionError(`Expected ${width * height * 3} bytes (${width}x${height} RGB) for plateDifference but received ${rgb.length}; decode with the plate's crop.`);
  }
  const low = options.low ?? 6;
  const high = options.high ?? 24;
  const distance = new Float32Array(width * height);
  for (let p = 0, j = 0; p < distance.length; p++, j += 3) {
    distance[p] = Math.max(Math.abs(rgb[j]! - plate.rgb[j]!), Math.abs(rgb[j + 1]! - plate.rgb[j + 1]!), Math.abs(rgb[j + 2]! - plate.rgb[j + 2]!));
  }
  const mean = boxMean(distance, width, height, options.radius ?? 2);
  const out = new Uint8Array(width * height);
  for (let p = 0; p < out.length; p++) {
    const t = Math.min(1, Math.max(0, (mean[p]! - low) / (high - low)));
    const differs = 255 * t * t * (3 - 2 * t);
    out[p] = Math.round(128 + ((differs - 128) * plate.confidence[p]!) / 255);
  }
  return out;
}
