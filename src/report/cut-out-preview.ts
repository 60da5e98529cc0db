import { nonWhiteMask } from '../eval/non-white-mask';

/**
 * A preview of what a background-erasing output keeps: the input's pixels where the output is not
 * white, and a grey checkerboard (the usual picture of "transparent") where it is. A white background
 * on a white page is hard to judge; this shows the cut edge at a glance.
 *
 * @example
 * const preview = cutOutPreview(input.data, output.data, 400, 400);
 * @throws {InvalidOptionError} when a buffer is not `width * height * 3` bytes or the tolerance is out of range.
 */
export function cutOutPreview(input: Uint8Array, output: Uint8Array, width: number, height: number, tolerance = 24): Uint8Array {
  const mask = nonWhiteMask(output, width, height, { tolerance });
  nonWhiteMask(input, width, height, { tolerance }); // checks the input's size
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (mask[p]) {
        out.set(input.subarray(p * 3, p * 3 + 3), p * 3);
      } else {
        out.fill(((x >> 3) + (y >> 3)) % 2 === 0 ? 204 : 244, p * 3, p * 3 + 3);
      }
    }
  }
  return out;
}
