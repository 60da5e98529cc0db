import type { Components } from './binary-morphology';
import { regionsApart } from './regions-apart';
import { likeIntrusion, type PickPaint } from './pick-paint';

/** A kept region is the intrusion when at least this share of its pixels has the intrusion's colour in the input. */
export const INTRUSION_SHARE = 0.5;

/**
 * The pixels of an output alpha that are the intrusion the edits painted out, seen apart from the
 * subject: each region of alpha ≥ 128 (8-connected), other than the largest, that touches the frame's
 * border where the pick's intrusion came in ({@link PickPaint.entry}) and of whose pixels at least
 * {@link INTRUSION_SHARE} have, in the `input` frame, the
 * intrusion's colour ({@link likeIntrusion}), with the soft alpha (1 … 127) within 4 px of it that is
 * not within 4 px of a kept region. 255 there, 0 elsewhere; undefined when there is none.
 *
 * Fingers that come in at the frame's edge, or leave by it, far from the picks touch nothing of the
 * speaker: no cover is carried to them (that is found over the subject), the generator keeps them as it
 * keeps a hand, and the carried edits, doubting what is new in the frame, do not call them background.
 * Another region of the intrusion's colour that does not reach the border there (a speaker's own hand
 * raised beside them) is left alone; one that does (a hand of the speaker's at the same edge, its arm
 * out of view) would go too, in the frames near a painting pick only.
 *
 * @example intrusionPixels(input.data, output.alpha, paint, 400, 400) // undefined: no fingers apart
 */
export function intrusionPixels(input: Uint8Array, alpha: Uint8Array, { intrusion, entry }: Pick<PickPaint, 'intrusion' | 'entry'>, width: number, height: number): Uint8Array | undefined {
  const alikeAt = likeIntrusion(input, intrusion);
  // A region goes when it reaches the border where the intrusion came in and mostly has its colour.
  const byEntryAndColour = ({ label, sizes }: Components) => {
    const atEntry = new Uint8Array(sizes.length), alike = new Float64Array(sizes.length);
    for (let p = 0; p < label.length; p++) {
      const k = label[p]!;
      if (k < 0) continue;
      if (entry[p]) atEntry[k] = 1;
      if (alikeAt(p)) alike[k]++;
    }
    return sizes.map((size, k) => atEntry[k] === 1 && alike[k]! >= INTRUSION_SHARE * size);
  };
  return regionsApart(alpha, width, height, byEntryAndColour, (a) => a > 0 && a < 128);
}
