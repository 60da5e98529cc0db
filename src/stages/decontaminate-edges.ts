import { INSIDE_ALPHA, insideColours } from './inside-colours';

/** Default radius, in pixels, over which soft edges look for the subject's inside colour. */
export const DEFAULT_EDGE_RADIUS = 6;

/**
 * Takes the old background's colour out of the soft edges of a foreground (colour decontamination):
 * a pixel of alpha `a` gets `(a/255)·fg + (1 − a/255)·inside`, where `inside` is the mean colour of
 * the opaque subject near it ({@link insideColours}). The predicted foreground of a soft edge is often
 * still the input's colour there, part subject and part old background (a pale wall shows as a pale
 * rim over a dark background); the inside colour does not carry it. Opaque pixels, and edges with no
 * inside pixel near them, keep their colour.
 *
 * @example
 * const fg = decontaminateEdges(foregroundFromWhite(frame.data, alpha), alpha, frame.width, frame.height);
 * @throws {RangeError} when the planes' sizes disagree with `width * height`.
 */
export function decontaminateEdges(fg: Uint8Array, alpha: Uint8Array, width: number, height: number, radius = DEFAULT_EDGE_RADIUS): Uint8Array {
  const inside = insideColours(fg, alpha, width, height, radius);
  const out = new Uint8Array(fg);
  for (let p = 0; p < alpha.length; p++) {
    const a = alpha[p] as number;
    if (a >= INSIDE_ALPHA || Number.isNaN(inside[p * 3])) continue;
    const keep = a / 255;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round(keep * (fg[p * 3 + c] as number) + (1 - keep) * (inside[p * 3 + c] as number));
  }
  return out;
}
