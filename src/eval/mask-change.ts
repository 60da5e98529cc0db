import { checkSameLength } from './check-sizes';
import { MASK_THRESHOLD } from './mask-iou';

/**
 * The fraction of pixels whose mask state (foreground from 128 up, see {@link maskIoU}) differs
 * between two masks, in [0, 1]: the frame-to-frame change of a mask.
 *
 * @example
 * maskChange(new Uint8Array([0, 255, 255, 0]), new Uint8Array([0, 255, 0, 0])); // 0.25
 * @throws {InvalidOptionError} when the masks differ in length or are empty.
 */
export function maskChange(prev: Uint8Array, next: Uint8Array): number {
  checkSameLength('maskChange', prev, next);
  let flips = 0;
  for (let i = 0; i < prev.length; i++) {
    if (prev[i] >= MASK_THRESHOLD !== next[i] >= MASK_THRESHOLD) flips++;
  }
  return flips / prev.length;
}
