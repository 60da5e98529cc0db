import { expectInteger } from '../pipeline/validate';
import { checkImageSize } from './check-sizes';

/** The default mask tolerance of {@link nonWhiteMask} and the metrics built on it (see its `tolerance`). */
export const DEFAULT_TOLERANCE = 24;

/** Options of {@link nonWhiteMask}. */
export interface NonWhiteMaskOptions {
  /**
   * The mask tolerance: a pixel is foreground when at least one channel is darker than
   * `255 - tolerance`. Default 24, which ignores the faint ringing that JPEG/H.264 leave on a white
   * background while keeping pale skin and light clothing (0–255).
   */
  tolerance?: number;
}

/**
 * Derives the foreground mask of a background-erased frame: the pixels that are not white.
 * A pixel is foreground (255) when `max(255 - R, 255 - G, 255 - B) > tolerance`, else background (0).
 * Masks in vidgan are `width * height` bytes, 0 = background and 255 = foreground (soft masks with
 * values in between are read as foreground from 128 up, see {@link maskIoU}).
 *
 * @example
 * const mask = nonWhiteMask(output.data, 400, 400, { tolerance: 24 });
 * @throws {InvalidOptionError} when the buffer is not `width * height * 3` bytes or the tolerance is not an integer in 0–254.
 */
export function nonWhiteMask(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: NonWhiteMaskOptions = {},
): Uint8Array {
  checkImageSize('nonWhiteMask image', rgb, width, height, 3);
  const tolerance = expectInteger('nonWhiteMask.tolerance', options.tolerance ?? DEFAULT_TOLERANCE, 0, 254);
  const threshold = 255 - tolerance;
  const n = width * height;
  const mask = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    if (rgb[j] < threshold || rgb[j + 1] < threshold || rgb[j + 2] < threshold) mask[i] = 255;
  }
  return mask;
}
