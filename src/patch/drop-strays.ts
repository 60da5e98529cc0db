import { map, type OperatorFunction } from 'rxjs';
import { FLOW_ALPHA_GUIDE } from '../flow/propagate-alpha';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger, expectOptionalBoolean } from '../pipeline/validate';
import { dilate, type Components } from './binary-morphology';
import { regionsApart } from './regions-apart';

/** Options of {@link dropStrays}. */
export interface DropStraysOptions {
  /**
   * A region is dropped when the `flow-alpha` guide averages below this over it (0 … 255): the edits,
   * carried there by optical flow, call it background, and the picture there looks like what they
   * carried. Default {@link STRAY_FLOW_BELOW}.
   */
  readonly below?: number;
  /**
   * Also clear every pixel, not only whole regions, where the guide is below `below` within 2 px around
   * and the alpha is not firm (250 or less): for a video whose flow followed the edits well
   * ({@link flowMissShare} at most {@link TRUSTED_FLOW_MISS}). Default false.
   */
  readonly pixels?: boolean;
}

/**
 * Default {@link DropStraysOptions.below}: 51, a fifth of the way to "subject". Where the carried picture
 * does not match the frame (something new came in: a hand raised into view), the guide is pulled toward
 * 128 (`flow/doubt.ts`, at most to 64 from a carried 0), so only what the edits confidently erased and
 * the flow confidently followed is dropped.
 */
export const STRAY_FLOW_BELOW = 51;

/**
 * The largest {@link flowMissShare} at which the carried edits are trusted pixel by pixel
 * ({@link DropStraysOptions.pixels}): on the interview-like clips 0.003-0.013, scooter-black 0.054, bmx-trees
 * (a thin bicycle, a 20 px a frame pan) 0.54 (docs/QUALITY.md, session 13).
 */
export const TRUSTED_FLOW_MISS = 0.1;

/** How {@link dropStrays} erases: whole regions apart from the subject, or every pixel too. */
export type StrayMode = 'regions' | 'pixels';

/**
 * The mode a video's strays are dropped in: `'pixels'` when its flow followed the edits (`flowMiss`, its
 * {@link flowMissShare}, at most {@link TRUSTED_FLOW_MISS}), else `'regions'`.
 *
 * @example chooseStrayMode(0.013) // 'pixels'
 */
export function chooseStrayMode(flowMiss: number | undefined): StrayMode {
  return flowMiss !== undefined && flowMiss <= TRUSTED_FLOW_MISS ? 'pixels' : 'regions';
}

/**
 * How much of what the edits keep the flow guide calls background (below {@link STRAY_FLOW_BELOW}) when
 * each pick is given the guide the OTHER picks carry to it: the share of each pick's kept pixels, averaged
 * over the picks whose guide carries anything (not 128 everywhere), to 4 decimals (as a checkpoint
 * records it, so that a run and its model applied again decide alike). Undefined when none does (a
 * single pick, or each alone in its shot). A small share says the flow followed this video's subject.
 *
 * @example flowMissShare([{ kept, flowAlpha }]) // 0.013
 */
export function flowMissShare(picks: ReadonlyArray<{ readonly kept: Uint8Array; readonly flowAlpha: Uint8Array }>, below = STRAY_FLOW_BELOW): number | undefined {
  const shares: number[] = [];
  for (const { kept, flowAlpha } of picks) {
    if (flowAlpha.every((v) => v === 128)) continue;
    let count = 0, missed = 0;
    for (let p = 0; p < kept.length; p++) {
      if (!kept[p]) continue;
      count++;
      if (flowAlpha[p]! < below) missed++;
    }
    if (count > 0) shares.push(missed / count);
  }
  return shares.length === 0 ? undefined : Number((shares.reduce((a, b) => a + b, 0) / shares.length).toFixed(4));
}

/**
 * Pixel by pixel, only alpha up to this is cleared: what the generator holds firmly (above 250) goes only
 * with its region. Where an intruder the edits erased crosses the subject, the flow follows the intruder
 * and carries the pick's erased background over the subject; the generator is firm there, and clearing
 * it cost the patching clips 8-21 dB inside the fingers' region (docs/QUALITY.md, session 13).
 */
const FIRM_ALPHA = 250;

/**
 * Pixel by pixel, nothing within this many pixels of where the carried edits keep the subject (or are
 * unsure) is cleared: on a real moving head the carried outline is a pixel or two off, and clearing
 * there bit into hair and cheeks (the talking close-up lost 0.8 dB outside the fingers' region; 2 px
 * gave back 0.6 of it, docs/QUALITY.md, session 13).
 */
const OUTLINE_SLACK = 2;

/**
 * The pixels of an output alpha that are strays: each region of alpha ≥ 128 (8-connected) other than the
 * largest over which the `flow-alpha` guide averages below `below`, and the soft alpha around it (within
 * 4 px of it and not within 4 px of a kept region); with `pixels`, also every pixel of alpha 1 … 250
 * more than 2 px from any pixel where the guide is `below` or more. 255 there, 0 elsewhere; undefined
 * when nothing is a stray.
 *
 * @example strayPixels(output.alpha, output.guides['flow-alpha'], 400, 400) // undefined: nothing to drop
 */
export function strayPixels(alpha: Uint8Array, flowAlpha: Uint8Array, width: number, height: number, below = STRAY_FLOW_BELOW, pixels = false): Uint8Array | undefined {
  if (pixels) {
    const out = new Uint8Array(alpha.length);
    let any = false;
    const carried = new Uint8Array(alpha.length);
    for (let p = 0; p < carried.length; p++) if (flowAlpha[p]! >= below) carried[p] = 1;
    const nearCarried = dilate(carried, width, height, OUTLINE_SLACK);
    for (let p = 0; p < out.length; p++) {
      if (alpha[p]! > 0 && alpha[p]! <= FIRM_ALPHA && !nearCarried[p]) {
        out[p] = 255;
        any = true;
      }
    }
    const regions = strayPixels(alpha, flowAlpha, width, height, below, false);
    if (regions !== undefined) for (let p = 0; p < out.length; p++) if (regions[p]) out[p] = 255;
    return any || regions !== undefined ? out : undefined;
  }
  // A region goes when the carried edits average below `below` over it.
  const byGuide = ({ label, sizes }: Components) => {
    const sums = new Float64Array(sizes.length);
    for (let p = 0; p < label.length; p++) if (label[p]! >= 0) sums[label[p]!] += flowAlpha[p]!;
    return sizes.map((size, k) => sums[k]! / size < below);
  };
  return regionsApart(alpha, width, height, byGuide, (a) => a < 128);
}

/**
 * Drops what the generator kept but the edits, carried by optical flow, call background: a remnant of
 * the scene apart from the subject (grass, a face painted on a wall, a passer-by) that the person prior
 * marked and no edit near it erased. Acts on frames with an alpha (the composite head) and a
 * `flow-alpha` guide ({@link strayPixels}): their alpha there becomes 0 and their picture white, as the
 * composite head paints erased background. The largest region is never dropped, nor any region the
 * carried edits keep (an object beside the person that the edits keep, a chair, is carried as kept);
 * a frame with no edits carried (the guide at 128) is left as it is. With `pixels`, for a video whose
 * flow proved it follows the subject ({@link flowMissShare}), every pixel the carried edits confidently
 * erased is cleared too unless the generator holds it firmly (the haze along the outline, the soft part
 * of a remnant touching the subject). Each frame on its own: no state.
 *
 * @example stream.pipe(kit.stage(), generate(model), dropStrays())
 * @throws {InvalidOptionError} for `below` outside 0 … 255.
 */
export function dropStrays(options: DropStraysOptions = {}): OperatorFunction<Frame, Frame> {
  const below = expectInteger('dropStrays.below', options.below ?? STRAY_FLOW_BELOW, 0, 255);
  const pixels = expectOptionalBoolean('dropStrays.pixels', options.pixels, false);
  return map((frame) => {
    const flowAlpha = frame.guides?.[FLOW_ALPHA_GUIDE];
    if (frame.alpha === undefined || flowAlpha === undefined) return frame;
    const cleared = clearStrays(frame.data, frame.alpha, flowAlpha, frame.width, frame.height, { below, pixels });
    return cleared === undefined ? frame : withPixels(frame, cleared.rgb, frame.width, frame.height, { alpha: cleared.alpha });
  });
}

/**
 * A composite-head output (`rgb` over white and its `alpha`) with its strays ({@link strayPixels}) erased:
 * alpha 0 and white there, new buffers; undefined when nothing is a stray. What {@link dropStrays} does
 * to each frame, for callers that hold bare buffers (hold-out validation).
 *
 * @example const cleared = clearStrays(rgb, alpha, flowAlpha, 400, 400, { pixels: true });
 */
export function clearStrays(
  rgb: Uint8Array,
  alpha: Uint8Array,
  flowAlpha: Uint8Array,
  width: number,
  height: number,
  options: { readonly below?: number; readonly pixels?: boolean } = {},
): { rgb: Uint8Array; alpha: Uint8Array } | undefined {
  const strays = strayPixels(alpha, flowAlpha, width, height, options.below ?? STRAY_FLOW_BELOW, options.pixels ?? false);
  if (strays === undefined) return undefined;
  const outAlpha = alpha.slice();
  const outRgb = rgb.slice();
  for (let p = 0; p < strays.length; p++) {
    if (!strays[p]) continue;
    outAlpha[p] = 0;
    outRgb[p * 3] = outRgb[p * 3 + 1] = outRgb[p * 3 + 2] = 255;
  }
  return { rgb: outRgb, alpha: outAlpha };
}
