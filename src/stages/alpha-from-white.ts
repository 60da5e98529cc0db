import { map, type OperatorFunction } from 'rxjs';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';

/**
 * The default tolerance of {@link alphaFromWhite}: 24 grey levels, the mask tolerance of the metrics
 * (`nonWhiteMask`), which ignores the faint ringing H.264 leaves on white while keeping pale skin.
 */
export const DEFAULT_WHITE_TOLERANCE = 24;

/** Options of {@link alphaFromWhite}. */
export interface AlphaFromWhiteOptions {
  /**
   * Distance from white (the largest of `255 − R`, `255 − G`, `255 − B`) at or below which a pixel
   * is background (alpha 0); alpha then rises linearly to 255 at twice this distance. Integer 0 … 127,
   * default {@link DEFAULT_WHITE_TOLERANCE} (24); 0 makes every pixel that is not pure white opaque.
   */
  readonly tolerance?: number;
}

/**
 * A stage that gives frames an alpha plane derived from their distance from white, for models with
 * the paper's `rgb` head, which paint the background white but predict no alpha. With the
 * `composite` head use the alpha it predicts instead: it is soft where hair and motion blur are, and
 * it does not mistake a white shirt for background.
 *
 * @example
 * frames.pipe(generate(rgbModel), alphaFromWhite({ tolerance: 24 }), replaceBackground('#000000'));
 * @throws {InvalidOptionError} for a tolerance that is not an integer in 0 … 127.
 */
export function alphaFromWhite(options: AlphaFromWhiteOptions = {}): OperatorFunction<Frame, Frame> {
  const tolerance = expectInteger('alphaFromWhite.tolerance', options.tolerance ?? DEFAULT_WHITE_TOLERANCE, 0, 127);
  return map((frame) => withPixels(frame, frame.data, frame.width, frame.height, { alpha: whiteDistanceAlpha(frame.data, tolerance) }));
}

/**
 * The alpha {@link alphaFromWhite} derives from packed RGB24: 0 up to `tolerance` from white, 255 from
 * twice it, linear between.
 *
 * @example whiteDistanceAlpha(new Uint8Array([255, 255, 255, 0, 0, 0]), 24); // [0, 255]
 */
export function whiteDistanceAlpha(rgb: Uint8Array, tolerance: number): Uint8Array {
  const alpha = new Uint8Array(rgb.length / 3);
  for (let p = 0, i = 0; p < alpha.length; p++, i += 3) {
    const distance = 255 - Math.min(rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number);
    if (distance <= tolerance) continue;
    alpha[p] = tolerance === 0 || distance >= 2 * tolerance ? 255 : Math.round(((distance - tolerance) / tolerance) * 255);
  }
  return alpha;
}
