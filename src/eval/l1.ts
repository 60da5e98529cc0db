import { checkSameLength } from './check-sizes';

/**
 * Mean absolute difference of two 8-bit images (any channel layout, same length), scaled to [0, 1]:
 * `sum |a_i - b_i| / (255 * n)`. 0 means identical; 1 means black against white everywhere.
 *
 * @example
 * l1(new Uint8Array([0, 255]), new Uint8Array([255, 255])); // 0.5
 * @throws {InvalidOptionError} when the buffers differ in length or are empty.
 */
export function l1(a: Uint8Array, b: Uint8Array): number {
  checkSameLength('l1', a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / (255 * a.length);
}
