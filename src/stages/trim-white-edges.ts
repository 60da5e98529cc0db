import { map, type OperatorFunction } from 'rxjs';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';
import { foregroundFromWhite } from './composite-over';
import { DEFAULT_EDGE_RADIUS } from './decontaminate-edges';
import { blurPlane, insideColours } from './inside-colours';

/** Options of {@link trimWhiteEdges}. */
export interface TrimWhiteEdgesOptions {
  /** Width, in pixels, of the border (next to background, alpha < 128) whose alpha is checked. Default 2: wider bands also thin light details that touch the background (earrings, highlights). */
  readonly band?: number;
  /** Radius over which the subject's inside colour is averaged. Default 6. */
  readonly radius?: number;
}

/** Below this distance (RGB, 0 … 441) between the inside colour and white, a border cannot be told from white: left alone. */
const MIN_CONTRAST = 48;

/**
 * A stage that lowers the composite head's alpha at the subject's border where its white composite
 * is whiter than the subject's inside colour explains. A generator can paint a border pixel white
 * through its foreground colour rather than through its alpha: invisible over white, but a white line
 * over a dark background. At such a pixel the alpha that the composite `c` supports, given the inside
 * colour `F` near it, is the projection `((255 − c)·(255 − F)) / |255 − F|²`; the alpha becomes the
 * smaller of the two. The white composite itself is unchanged (so is the output over white); pixels
 * of a subject too pale to tell from white, and everything beyond `band` of the border, keep their alpha.
 *
 * @example
 * frames.pipe(generate(model), trimWhiteEdges(), replaceBackground('#000000'));
 * @throws {InvalidOptionError} for a band outside 1 … 16 or a radius outside 1 … 64.
 */
export function trimWhiteEdges(options: TrimWhiteEdgesOptions = {}): OperatorFunction<Frame, Frame> {
  const band = expectInteger('trimWhiteEdges.band', options.band ?? 2, 1, 16);
  const radius = expectInteger('trimWhiteEdges.radius', options.radius ?? DEFAULT_EDGE_RADIUS, 1, 64);
  return map((frame) =>
    frame.alpha === undefined
      ? frame
      : withPixels(frame, frame.data, frame.width, frame.height, { alpha: trimmedAlpha(frame.data, frame.alpha, frame.width, frame.height, band, radius) }),
  );
}

/**
 * The alpha {@link trimWhiteEdges} gives a white composite `rgb` with alpha `alpha`.
 *
 * @example const alpha = trimmedAlpha(frame.data, frame.alpha, 400, 400, 2, 6);
 */
export function trimmedAlpha(rgb: Uint8Array, alpha: Uint8Array, width: number, height: number, band: number, radius: number): Uint8Array {
  const inside = insideColours(foregroundFromWhite(rgb, alpha), alpha, width, height, radius);
  const near = new Float32Array(alpha.length);
  for (let p = 0; p < alpha.length; p++) near[p] = (alpha[p] as number) < 128 ? 1 : 0;
  blurPlane(near, width, height, band, 1);
  const out = new Uint8Array(alpha);
  for (let p = 0; p < alpha.length; p++) {
    const a = alpha[p] as number;
    if (a === 0 || (near[p] as number) < 0.5 || Number.isNaN(inside[p * 3])) continue;
    let dot = 0;
    let norm = 0;
    for (let c = 0; c < 3; c++) {
      const d = 255 - (inside[p * 3 + c] as number);
      dot += (255 - (rgb[p * 3 + c] as number)) * d;
      norm += d * d;
    }
    if (norm < MIN_CONTRAST * MIN_CONTRAST) continue;
    const supported = Math.round(255 * Math.min(1, Math.max(0, dot / norm)));
    if (supported < a) out[p] = supported;
  }
  return out;
}
