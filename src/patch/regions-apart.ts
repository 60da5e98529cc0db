import { dilate, labelComponents, type Components } from './binary-morphology';

/** Soft alpha within this many pixels of a dropped region goes with it, unless as near a kept one. */
const FRINGE = 4;

/**
 * The pixels of the regions of an output alpha apart from the subject that `decide` drops: the regions
 * of alpha ≥ 128 (8-connected) are labelled, `decide` says of each whether it goes (the largest never
 * does), and the soft alpha (`soft`) within 4 px of a dropped region and not within 4 px of a kept one
 * goes with them. 255 there, 0 elsewhere; undefined when nothing goes. What {@link strayPixels} and
 * {@link intrusionPixels} share.
 *
 * @example regionsApart(alpha, 400, 400, ({ sizes }) => sizes.map((n) => n < 50), (a) => a < 128) // small specks
 */
export function regionsApart(alpha: Uint8Array, width: number, height: number, decide: (regions: Components) => readonly boolean[], soft: (alpha: number) => boolean): Uint8Array | undefined {
  const solid = new Uint8Array(alpha.length);
  for (let p = 0; p < alpha.length; p++) if (alpha[p]! >= 128) solid[p] = 1;
  const regions = labelComponents(solid, width, true);
  const { label, sizes } = regions;
  if (sizes.length < 2) return undefined;
  let largest = 0;
  for (let k = 1; k < sizes.length; k++) if (sizes[k]! > sizes[largest]!) largest = k;
  const drop = decide(regions).map((goes, k) => goes && k !== largest);
  if (!drop.includes(true)) return undefined;
  const dropped = new Uint8Array(alpha.length), kept = new Uint8Array(alpha.length);
  for (let p = 0; p < label.length; p++) {
    const k = label[p]!;
    if (k >= 0) (drop[k] ? dropped : kept)[p] = 1;
  }
  const near = dilate(dropped, width, height, FRINGE), nearKept = dilate(kept, width, height, FRINGE);
  const out = new Uint8Array(alpha.length);
  for (let p = 0; p < out.length; p++) if (dropped[p] || (near[p] && !nearKept[p] && soft(alpha[p]!))) out[p] = 255;
  return out;
}
