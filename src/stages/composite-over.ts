/**
 * The colour maths of backgrounds. The composite head paints `c = a·fg + (1 − a)·255`: its predicted
 * foreground colour `fg` over white, with alpha `a`. Any other background takes `fg`, recovered as
 * `(c − (1 − a)·255) / a` (straight, not premultiplied, alpha: what ProRes 4444, VP9 and PNG store),
 * and composites `a·fg + (1 − a)·bg`. Compositing the white frame itself (`a·c + (1 − a)·bg`) would
 * put `(1 − a)·a·255` of white into every soft edge: the halo these functions avoid.
 */

/** An RGB24 plane of `alpha.length` pixels, or one colour for every pixel. */
export type BackgroundPixels = Uint8Array | readonly [number, number, number];

/**
 * The foreground `fg` (RGB24, straight colour) with alpha `alpha` over `background`: `a·fg + (1 − a)·bg`.
 *
 * @example
 * compositeOver(foregroundFromWhite(frame.data, frame.alpha), frame.alpha, [0, 0, 0]); // the subject over black
 * @throws {RangeError} when the planes' sizes disagree.
 */
export function compositeOver(fg: Uint8Array, alpha: Uint8Array, background: BackgroundPixels): Uint8Array {
  checkSizes(fg, alpha, background);
  const out = new Uint8Array(fg.length);
  const plane = background instanceof Uint8Array ? background : undefined;
  const colour = background as readonly number[];
  for (let p = 0, i = 0; p < alpha.length; p++, i += 3) {
    const a = alpha[p] as number;
    for (let c = 0; c < 3; c++) {
      const bg = plane === undefined ? (colour[c] as number) : (plane[i + c] as number);
      out[i + c] = Math.round((a * (fg[i + c] as number) + (255 - a) * bg) / 255);
    }
  }
  return out;
}

/**
 * The foreground colour a white composite was made from, for formats that store straight alpha:
 * `(c − (1 − a)·255) / a`, and black where alpha is 0 (no colour there; black keeps 4:2:0 chroma
 * neutral beside edges).
 *
 * @example
 * const fg = foregroundFromWhite(frame.data, frame.alpha);
 * @throws {RangeError} when the planes' sizes disagree.
 */
export function foregroundFromWhite(rgb: Uint8Array, alpha: Uint8Array): Uint8Array {
  checkSizes(rgb, alpha);
  const out = new Uint8Array(rgb.length);
  for (let p = 0, i = 0; p < alpha.length; p++, i += 3) {
    const a = alpha[p] as number;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) {
      const value = Math.round(((rgb[i + c] as number) * 255 - (255 - a) * 255) / a);
      out[i + c] = value < 0 ? 0 : value > 255 ? 255 : value;
    }
  }
  return out;
}

function checkSizes(rgb: Uint8Array, alpha: Uint8Array, background?: BackgroundPixels): void {
  if (rgb.length !== alpha.length * 3) throw new RangeError(`Expected ${alpha.length * 3} RGB bytes for ${alpha.length} alpha bytes but got ${rgb.length}`);
  if (background instanceof Uint8Array && background.length !== rgb.length) {
    throw new RangeError(`Expected a ${rgb.length}-byte RGB background plane but got ${background.length} bytes`);
  }
}
