import { NO_DATA_ALPHA } from './blend-by-distance';

/**
 * The mismatch (grey levels) at which a propagated alpha keeps (1 + 1/e) / 2 of its distance from
 * "unknown" ({@link doubtWhereMismatched}), and the share it keeps however far its picture mismatches.
 * Chosen on the davis-dev clips (docs/QUALITY.md, session 12): by the guide's cross-entropy against the
 * true masks over scales 10-200 and floors 0-0.98, then through the generator at 60 / 0.2 and 80 / 0.5.
 */
export const DOUBT_SCALE = 80;
const DOUBT_FLOOR = 0.5;

/**
 * A propagated alpha pulled toward "unknown" ({@link NO_DATA_ALPHA}) where the picture carried with it
 * mismatches the frame: each pixel keeps 0.5 + 0.5 exp(-(mismatch / {@link DOUBT_SCALE})^2) of its
 * distance from 128. The generator adds the flow guide's logit to its own alpha logit, so a carried 0
 * or 255 counts for about 6 either way; where the flow has visibly lost the subject (the carried
 * picture does not look like the frame) it now counts for less, and the frame's own look decides.
 * Sides stay sides: a value at or above 128 stays there. Without a mismatch plane, the alpha as it is.
 *
 * @example doubtWhereMismatched(Uint8Array.of(255, 0), Uint8Array.of(0, 200)) // [255, 64]
 */
export function doubtWhereMismatched(alpha: Uint8Array, mismatch: Uint8Array | undefined): Uint8Array {
  if (mismatch === undefined) return alpha;
  const keep = doubtTable();
  const out = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) {
    const d = (alpha[i]! - NO_DATA_ALPHA) * keep[mismatch[i]!]!;
    out[i] = NO_DATA_ALPHA + (d >= 0 ? Math.floor(d + 0.5) : -Math.floor(-d + 0.5));
  }
  return out;
}

let keepTable: Float64Array | undefined;
function doubtTable(): Float64Array {
  keepTable ??= Float64Array.from({ length: 256 }, (_, m) => DOUBT_FLOOR + (1 - DOUBT_FLOOR) * Math.exp(-((m / DOUBT_SCALE) ** 2)));
  return keepTable;
}
