import { checkSameLength } from './check-sizes';

/**
 * Peak signal-to-noise ratio of two 8-bit images in dB, with peak 255:
 * `10 * log10(255^2 / MSE)` over every value. Identical images have MSE 0 and score `Infinity`
 * (cap it before averaging, for example at 100 dB).
 *
 * @example
 * psnr(new Uint8Array([0, 0]), new Uint8Array([0, 255])); // 10*log10(2) ≈ 3.01 dB
 * @throws {InvalidOptionError} when the buffers differ in length or are empty.
 */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  checkSameLength('psnr', a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  if (sum === 0) return Infinity;
  const mse = sum / a.length;
  return 10 * Math.log10((255 * 255) / mse);
}
