import { checkImageSizeOfRgb } from './check-rgb';
import type { Plane } from './plane';

/**
 * The luma of packed RGB pixels (ITU-R BT.601 weights in 8-bit fixed point), the input of
 * {@link computeFlow}.
 *
 * @example
 * const grey = greyPlane(frame.data, frame.width, frame.height);
 * @throws {InvalidOptionError} when `rgb` is not `width * height * 3` bytes.
 */
export function greyPlane(rgb: Uint8Array, width: number, height: number): Plane {
  checkImageSizeOfRgb('greyPlane', rgb, width, height);
  const n = width * height;
  const data = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) data[i] = (77 * rgb[j]! + 150 * rgb[j + 1]! + 29 * rgb[j + 2]! + 128) >> 8;
  return { width, height, data };
}
