import { checkSameLength } from './check-sizes';

/** A mask value at or above this counts as foreground: 0/255 masks and soft alpha mattes both work. */
export const MASK_THRESHOLD = 128;

/**
 * Intersection over union of the foreground of two masks (`width * height` bytes, 0 = background,
 * 255 = foreground; a value counts as foreground from {@link MASK_THRESHOLD} = 128 up, so soft
 * alpha mattes are read at half coverage; 0/1 masks must be scaled to 0/255 first).
 * Two masks with no foreground at all agree perfectly and score 1.
 *
 * @example
 * maskIoU(nonWhiteMask(out, 400, 400), trueMask); // 0.94
 * @throws {InvalidOptionError} when the masks differ in length or are empty.
 */
export function maskIoU(a: Uint8Array, b: Uint8Array): number {
  checkSameLength('maskIoU', a, b);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const fa = a[i] >= MASK_THRESHOLD;
    const fb = b[i] >= MASK_THRESHOLD;
    if (fa && fb) inter++;
    if (fa || fb) union++;
  }
  return union === 0 ? 1 : inter / union;
}
