import { computeFlow, type FlowOptions } from '../flow/compute-flow';
import { cutThresholds, histogramDistance, isHardCut, meanAbsDifference, type CutOptions } from '../flow/detect-cut';
import { greyPlane } from '../flow/grey-plane';
import { warpPlane } from '../flow/warp-plane';
import { close, dilate, keepLargeComponents } from './binary-morphology';
import { boxMeanAbsDifference } from '../flow/box-mean';
import type { Plane } from '../flow/plane';
import { likeIntrusion, type PickPaint } from './pick-paint';
import { shiftToFit } from './shift-to-fit';
import { fillFromNeighbours, tileField } from './tile-field';

/** Options of {@link paintCover}. */
export interface PaintCoverOptions {
  /** The flow from the frame to the pick (default DIS `medium`). */
  readonly flow?: FlowOptions;
  /** The side (px) of the tiles over which the subject's motion is taken (the median flow over the subject outside the paint; also tried at half the side). Default 80. */
  readonly motionTile?: number;
  /** How far (px) around the carried paint (and the previous frame's carried cover) the frame is looked at for what the paint must cover. Default 12. */
  readonly reach?: number;
  /**
   * How far (px) around the carried paint the cover may grow where the pick's clean picture shows the
   * subject: an intrusion far from the pick lies where, in the pick, it did not (a forearm over the
   * speaker's shoulder that lay over the background). Default 60.
   */
  readonly subjectReach?: number;
  /** A pixel is covered where the frame differs from the clean picture by more than this many levels (largest channel). Default 24. */
  readonly difference?: number;
  /** Carried paint is a seed where the frame and the pick's frame carried onto it differ by at most this many grey levels (5x5 mean). Default 12. */
  readonly tracked?: number;
  /** Seeds grow over neighbours within this many levels (largest channel) of each other. Default 12. */
  readonly like?: number;
  /**
   * The cover is widened by this many px, over the intrusion's soft outline (blended with what it
   * covers, and left by the generator as a seam). Default 2: on the people clips 28.1 -> 32.4 dB inside
   * the region, on a real close-up 0.8 dB lower outside it (docs/QUALITY.md).
   */
  readonly margin?: number;
  /** Covered areas smaller than this share of the largest are dropped. Default 0.5. */
  readonly componentShare?: number;
  /** What makes a hard cut between the frame and the pick, across which nothing is painted (as the propagation's). */
  readonly cut?: CutOptions;
}

/** Where a frame is to be covered with a pick's clean picture, and from where in it. */
export interface PaintCover {
  /** 0/255, `width * height`: the pixels to cover. */
  readonly mask: Uint8Array;
  /** For each covered pixel, the pixel of the pick's clean picture that covers it. */
  readonly source: Int32Array;
  /**
   * 0/255: pixels within reach of the carried paint (`reach`, `subjectReach`) where the frame shows what the pick's clean picture keeps
   * (the subject, within `difference`): the frame's own pixels, kept as subject, whatever the
   * generator made of them (it erases the clothing around a hand it was shown twice).
   */
  readonly restore: Uint8Array;
  /** How many pixels are covered (the margin included). */
  readonly pixels: number;
}

/**
 * Where a pick's paint ({@link PickPaint}) goes on another frame (`input`, RGB24). One optical flow
 * from the frame to the pick carries the pick's painted region onto the frame (the flow follows what
 * was painted over, e.g. the fingers), and the subject's own motion moves the pick's clean picture
 * there: the median flow over the subject outside the paint, tile by tile (`motionTile`, or half of
 * it where that matches the frame better around the paint: {@link chooseMotion}, then shifted by whole pixels to fit
 * the picture's texture there: {@link shiftToFit}), so a head that turns
 * or a body that leans is followed, and what the fingers do is not. The carried paint is covered where the flow
 * found the intrusion again (the frame looks like the pick's frame carried onto it) and the frame
 * differs from the clean picture, and that grows over neighbours of like colour that differ too,
 * within `reach` of the carried paint (`subjectReach` where the clean picture shows the subject): the
 * fingers where they went, not the speaker where the frame already shows them. The cover is then
 * widened by `margin` over the intrusion's soft outline.
 *
 * Given the `previous` frame's cover from the same pick, that too is carried onto the frame (a
 * second flow, between the frames) and seeds the cover where the clean picture shows the subject: the
 * hand followed frame to frame as it leaves, far from the pick.
 *
 * The border where the pick's intrusion came in ({@link PickPaint.entry}) seeds the cover too, where
 * the clean picture shows the subject and the frame, differing from it, has the intrusion's colour: the
 * fingertips coming in, which the flow to a pick where the fingers lie far inside does not find. Those
 * seeds count as carried paint (`reach`, `subjectReach` and `restore` grow around them). A cover from
 * them alone is not placed to the pixel: there is no ring around carried paint to fit on.
 *
 * Undefined when nothing is to be painted: nothing of the paint is found on the frame, or a hard cut
 * lies between. Rejects with {@link EngineError} when the flow fails. Options are not checked here:
 * {@link paintFromPicks} checks them once.
 *
 * @example
 * const cover = await paintCover(input.data, paint);
 * const painted = cover && applyCover(output.data, output.alpha, cover, paint);
 */
export async function paintCover(input: Uint8Array, paint: PickPaint, options: PaintCoverOptions = {}, previous?: PreviousCover): Promise<PaintCover | undefined> {
  const { width, height } = paint;
  const carried = await carryPaint(input, paint, options);
  if (carried === undefined) return undefined;
  const { source, away } = chooseMotion(input, paint, carried, options.motionTile ?? 80);
  const difference = options.difference ?? 24;
  const tracked = options.tracked ?? 12;
  const region = Uint8Array.from(carried.region);
  const seeds = carried.region.map((on, q) => (on && carried.mismatch[q]! <= tracked ? 1 : 0));
  if (previous !== undefined) {
    // The previous frame's cover, carried by the flow between the frames, over the subject: the hand
    // followed frame to frame where the flow from the pick no longer finds it (over the background the
    // like-coloured wall would carry on without it).
    const flow = await computeFlow(carried.grey, previous.grey, { preset: 'fast' });
    const [carriedMask, carriedGrey] = await Promise.all([warpPlane({ width, height, data: previous.mask }, flow), warpPlane(previous.grey, flow)]);
    const mismatch = boxMeanAbsDifference(carriedGrey.data, carried.grey.data, width, height, 2);
    for (let q = 0; q < region.length; q++) {
      if (carriedMask.data[q]! < 128 || !paint.kept[source[q]!]) continue;
      region[q] = 255;
      if (mismatch[q]! <= tracked) seeds[q] = 1;
    }
  }
  const looksLikeIntrusion = likeIntrusion(input, paint.intrusion);
  // The fingers coming in over the subject by the frame's edge where the pick's came in: the flow to a
  // pick where they lie far inside does not find their tips. A border pixel there is a seed where the
  // clean picture shows the subject and the frame, differing from it, has the intrusion's colour.
  for (let q = 0; q < region.length; q++) {
    if (!paint.entry[q] || !paint.kept[source[q]!] || away[q]! <= difference || !looksLikeIntrusion(q)) continue;
    region[q] = 255;
    seeds[q] = 1;
  }
  const around = dilate(region, width, height, options.reach ?? 12);
  const subjectAround = dilate(region, width, height, options.subjectReach ?? 60);
  const inReach = around.map((near, q) => (near || (subjectAround[q] && paint.kept[source[q]!]) ? 1 : 0));
  const coverable = (q: number) => inReach[q]! > 0 && away[q]! > difference && looksLikeIntrusion(q);
  const mask = close(grow(input, width, height, seeds, coverable, options.like ?? 12), width, height, 2);
  for (let q = 0; q < mask.length; q++) if (mask[q] && !inReach[q]) mask[q] = 0;
  // The intrusion is one body (a hand); specks elsewhere are the subject's own changes since the pick.
  if (keepLargeComponents(mask, width, options.componentShare ?? 0.5) === 0) return undefined;
  // The intrusion's soft outline, which the generator leaves as a seam.
  const wider = dilate(mask, width, height, options.margin ?? 2);
  let pixels = 0;
  for (let q = 0; q < mask.length; q++) if ((mask[q] = wider[q] ? 255 : 0)) pixels++;
  const restore = inReach.map((near, q) => (near && !mask[q] && away[q]! <= difference && paint.kept[source[q]!] ? 255 : 0));
  return { mask, source, restore, pixels };
}

/**
 * The previous frame's cover (from the same pick), which {@link paintCover} carries onto the frame by
 * a DIS `fast` flow as more of where the intrusion is, where the clean picture shows the subject.
 */
export interface PreviousCover {
  /** The previous frame, grey. */
  readonly grey: Plane;
  /** Its cover's mask (0/255). */
  readonly mask: Uint8Array;
}

/** The pick's paint carried onto the frame by one optical flow from the frame to the pick. */
interface CarriedPaint {
  /** The frame, grey. */
  readonly grey: Plane;
  /** The flow, frame to pick (2 floats a pixel). */
  readonly flow: Float32Array;
  /** 255 where the carried paint lies. */
  readonly region: Uint8Array;
  /** 1 on the subject away from the carried paint (DIS smooths the intrusion's motion into its surroundings). */
  readonly subject: Uint8Array;
  /** How far the frame is from the pick's frame carried onto it (grey levels, 5x5 mean): small where the flow tracked. */
  readonly mismatch: Float32Array;
  /** 1 on the subject, the carried paint included. */
  readonly body: Uint8Array;
}

/** Carries `paint` onto the frame `input`; undefined across a hard cut, when none of the subject lands on it, or when none of the paint does and it has no entry. */
async function carryPaint(input: Uint8Array, paint: PickPaint, options: PaintCoverOptions): Promise<CarriedPaint | undefined> {
  const { width, height } = paint;
  const grey = greyPlane(input, width, height);
  const flow = await computeFlow(grey, paint.grey, options.flow ?? { preset: 'medium' });
  const carriedGrey = await warpPlane(paint.grey, flow);
  if (isHardCut({ histogramDistance: histogramDistance(paint.grey, grey), flowResidual: meanAbsDifference(carriedGrey, grey) }, cutThresholds(options.cut))) return undefined;
  const [painted, kept] = await Promise.all([warpPlane({ width, height, data: paint.painted }, flow), warpPlane({ width, height, data: paint.kept }, flow)]);
  const region = painted.data.map((v) => (v >= 128 ? 255 : 0));
  const nearPaint = dilate(region, width, height, 8);
  const body = kept.data.map((v) => (v >= 200 ? 1 : 0));
  const subject = body.map((v, q) => (v && !nearPaint[q] ? 1 : 0));
  if (!(region.some((v) => v > 0) || paint.entry.some((v) => v > 0)) || !subject.some((v) => v > 0)) return undefined;
  return { grey, flow: flow.data, region, subject, body, mismatch: boxMeanAbsDifference(carriedGrey.data, grey.data, width, height, 2) };
}

/** For each pixel, how far the frame is from the clean picture `edit` moved by `source` (largest channel). */
function awayFromClean(input: Uint8Array, edit: Uint8Array, source: Int32Array): Uint8Array {
  const away = new Uint8Array(source.length);
  for (let q = 0; q < source.length; q++) {
    const from = source[q]!;
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(input[q * 3 + c]! - edit[from * 3 + c]!));
    away[q] = d;
  }
  return away;
}

/**
 * 255 on the `coverable` seeds and on what grows from them over coverable 4-neighbours within `like`
 * levels (largest channel) of the pixel they grow from.
 */
function grow(input: Uint8Array, width: number, height: number, seeds: Uint8Array, coverable: (q: number) => boolean, like: number): Uint8Array {
  const size = width * height;
  const cover = new Uint8Array(size);
  const queue: number[] = [];
  for (let q = 0; q < size; q++) if (seeds[q] && coverable(q)) (cover[q] = 255), queue.push(q);
  const step = (q: number, n: number) => {
    if (cover[n] || !coverable(n)) return;
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(input[n * 3 + c]! - input[q * 3 + c]!));
    if (d > like) return;
    cover[n] = 255;
    queue.push(n);
  };
  for (let k = 0; k < queue.length; k++) {
    const q = queue[k]!, x = q % width;
    if (x > 0) step(q, q - 1);
    if (x < width - 1) step(q, q + 1);
    if (q >= width) step(q, q - width);
    if (q + width < size) step(q, q + width);
  }
  return cover;
}

/**
 * Covers a frame's output (RGB24 over white, and its alpha when it has one) with the pick's clean
 * picture where `cover` says: new buffers. The alpha follows the clean picture's (255 where the edit
 * kept, 0 where it erased). Given the frame's `input`, the cover's `restore` pixels take the input's
 * own colour as subject (alpha 255) first.
 *
 * @example const { rgb, alpha } = applyCover(output.data, output.alpha, cover, paint, input.data);
 */
export function applyCover(rgb: Uint8Array, alpha: Uint8Array | undefined, cover: PaintCover, paint: PickPaint, input?: Uint8Array): { rgb: Uint8Array; alpha?: Uint8Array } {
  const outRgb = Uint8Array.from(rgb);
  const outAlpha = alpha && Uint8Array.from(alpha);
  for (let q = 0; input && q < cover.restore.length; q++) {
    if (!cover.restore[q]) continue;
    outRgb.set(input.subarray(q * 3, q * 3 + 3), q * 3);
    if (outAlpha) outAlpha[q] = 255;
  }
  for (let q = 0; q < cover.mask.length; q++) {
    if (!cover.mask[q]) continue;
    const from = cover.source[q]!;
    outRgb.set(paint.edit.subarray(from * 3, from * 3 + 3), q * 3);
    if (outAlpha) outAlpha[q] = paint.kept[from]!;
  }
  return { rgb: outRgb, ...(outAlpha ? { alpha: outAlpha } : {}) };
}

/**
 * The subject's motion read two ways, and the one whose moved clean picture matches the frame better
 * on the subject around the paint (4-30 px from it), placed to the pixel there, with how far the frame
 * is from that picture ({@link awayFromClean}):
 * - coarse: `tile` px tiles, read 8 px clear of the paint, a tile with too little of the subject moving as
 *   the whole subject does. Right for a subject that moves as one, as a body does (the fingers' own
 *   motion, which DIS smooths 10-20 px into the skin around them, is outvoted).
 * - fine: tiles of half the side, read 20 px clear of the paint, a tile with too little of the subject
 *   moving as the tiles around it ({@link fillFromNeighbours}). Right for a head that leans or nods by
 *   itself, 10 px a frame more at its top than at the chest, under the fingers.
 * Neither alone did on both kinds of clip (docs/QUALITY.md, session 16). The chosen one is then
 * placed to the pixel on that ring by the picture's own texture ({@link shiftToFit}: tiles of half
 * `tile`, each with at least 5 `tile` of the ring's pixels in its surroundings, 40 px and 400 by default): a motion read away from the paint is 1-3
 * px off under it, which lights up every edge of the face it paints (session 17).
 */
function chooseMotion(input: Uint8Array, paint: PickPaint, carried: CarriedPaint, tile: number): { source: Int32Array; away: Uint8Array } {
  const { width, height } = paint;
  const coarse = subjectMotion(carried.flow, carried.subject, width, height, tile, false);
  const clear = dilate(carried.region, width, height, 20);
  const fineSubject = carried.body.map((v, q) => (v && !clear[q] ? 1 : 0));
  const fine = subjectMotion(carried.flow, fineSubject, width, height, Math.max(4, Math.round(tile / 2)), true);
  const outer = dilate(carried.region, width, height, 30), inner = dilate(carried.region, width, height, 4);
  const ring = outer.map((v, q) => (v && !inner[q] && carried.body[q] ? 1 : 0));
  const ringAt = Int32Array.from(ring.keys()).filter((q) => ring[q]);
  // The mean difference (largest channel) over the ring where the moved picture shows the subject.
  const misfit = (source: Int32Array) => {
    let sum = 0, n = 0;
    for (const q of ringAt) {
      const from = source[q]!;
      if (!paint.kept[from]) continue;
      sum += Math.max(Math.abs(input[q * 3]! - paint.edit[from * 3]!), Math.abs(input[q * 3 + 1]! - paint.edit[from * 3 + 1]!), Math.abs(input[q * 3 + 2]! - paint.edit[from * 3 + 2]!));
      n++;
    }
    return n > 0 ? sum / n : Infinity;
  };
  const chosen = misfit(fine) < misfit(coarse) ? fine : coarse;
  // Placed to the pixel by the picture's own texture on that ring. `fit` is fixed from the unshifted
  // mapping, so every shift is scored on the same pixels.
  const fit = ringAt.filter((q) => paint.kept[chosen[q]!]);
  const source = shiftToFit(input, paint.edit, width, height, chosen, fit, { tile: Math.max(4, Math.round(tile / 2)), least: 5 * tile });
  return { source, away: awayFromClean(input, paint.edit, source) };
}

/**
 * For every pixel, the pixel of the pick it shows by the subject's motion: the median flow over the
 * subject's pixels (`subject` 1) of each tile of `tile` x `tile` pixels that holds enough of them (for
 * the others the median over the whole subject, or with `fill` their neighbours': a face mostly covered by fingers then moves
 * as the hair and cheeks beside it do, not as the body below), interpolated bilinearly between tile centres; where
 * that falls outside the frame, the pick's nearest border pixel (what the pick did not see is taken to
 * continue its border: a hand at the frame's corner is covered up to the corner). Medians, because DIS bleeds a moving background or the
 * intrusion's own motion into the subject's edge.
 *
 * @example subjectMotion(flow.data, subject, 400, 400, 40, true)[q] // the pick's pixel that frame pixel q shows
 */
export function subjectMotion(flow: Float32Array, subject: Uint8Array, width: number, height: number, tile: number, fill: boolean): Int32Array {
  const size = width * height;
  const cols = Math.ceil(width / tile), rows = Math.ceil(height / tile);
  const tileOf = (q: number) => Math.floor(Math.floor(q / width) / tile) * cols + Math.floor((q % width) / tile);
  // Each tile's subject flows, packed tile after tile (a counting sort), then the whole subject's.
  const counts = new Int32Array(cols * rows + 1);
  for (let q = 0; q < size; q++) if (subject[q]) counts[tileOf(q) + 1]!++;
  for (let t = 0; t < cols * rows; t++) counts[t + 1]! += counts[t]!;
  const total = counts[cols * rows]!;
  const xs = new Float32Array(total), ys = new Float32Array(total);
  const next = counts.slice(0, cols * rows);
  for (let q = 0; q < size; q++) {
    if (!subject[q]) continue;
    const at = next[tileOf(q)]!++;
    xs[at] = flow[2 * q]!;
    ys[at] = flow[2 * q + 1]!;
  }
  const globalX = median(xs.slice()), globalY = median(ys.slice());
  const enough = (tile * tile) / 4;
  const mx = new Float32Array(cols * rows), my = new Float32Array(cols * rows);
  const known = new Uint8Array(cols * rows);
  for (let t = 0; t < cols * rows; t++) {
    const [from, to] = [counts[t]!, counts[t + 1]!];
    known[t] = to - from >= enough ? 1 : 0;
    mx[t] = known[t] ? median(xs.subarray(from, to)) : globalX;
    my[t] = known[t] ? median(ys.subarray(from, to)) : globalY;
  }
  if (fill) fillFromNeighbours(mx, my, known, cols, rows);
  const field = tileField(mx, my, cols, rows, tile, width, height);
  const source = new Int32Array(size);
  for (let q = 0; q < size; q++) {
    const sx = Math.round((q % width) + field[2 * q]!), sy = Math.round(Math.floor(q / width) + field[2 * q + 1]!);
    source[q] = Math.min(height - 1, Math.max(0, sy)) * width + Math.min(width - 1, Math.max(0, sx));
  }
  return source;
}

/** The median of `values`, which it sorts in place. */
function median(values: Float32Array): number {
  return values.sort()[Math.floor(values.length / 2)]!;
}
