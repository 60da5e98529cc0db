import { nonWhiteMask } from '../eval/non-white-mask';
import { checkImageSize } from '../eval/check-sizes';
import { greyPlane } from '../flow/grey-plane';
import type { Plane } from '../flow/plane';
import { expectInteger, expectNumber } from '../pipeline/validate';
import { close, dilate, erode } from './binary-morphology';
import { boxMean } from '../flow/box-mean';

/** What an edited frame painted over its subject, ready to be carried to other frames ({@link paintCover}). */
export interface PickPaint {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** The edited frame, RGB24: the clean picture the paint is taken from. */
  readonly edit: Uint8Array;
  /** The pick's input frame as grey, which the flow to other frames is computed against. */
  readonly grey: Plane;
  /** The edit's kept region (not white), 0/255. */
  readonly kept: Uint8Array;
  /** Where the edit painted over the frame inside the kept region (another person's fingers covered with clothing), 0/255. */
  readonly painted: Uint8Array;
  /**
   * The colour of what was painted over, as the pick's frame shows it (the fingers): its mean RGB, and
   * how far (largest channel) a pixel may be from it to be taken for it.
   */
  readonly intrusion: { readonly mean: readonly [number, number, number]; readonly tolerance: number };
  /**
   * 255 on the frame's border pixels within {@link ENTRY_SLACK} px (a square box: near a corner it
   * reaches round onto the next side) of where, in the pick's frame, the intrusion crosses the border:
   * the changed pixels of its colour flooded over neighbours of its colour, each step within 12 levels.
   * Where it comes in. 0 everywhere when it lies wholly inside the frame, or when the flood breaks off
   * before the border (then nothing is covered from the border and {@link intrusionPixels} erases nothing).
   */
  readonly entry: Uint8Array;
}

/** The flood that finds where the intrusion crosses the border steps only between neighbours this close (levels, largest channel): it follows the fingers' smooth skin, not the scene beside them. */
const FLOOD_STEP = 12;

/** How far (px) along the border from where the pick's intrusion crosses it another frame's may: the fingers move in and out. */
export const ENTRY_SLACK = 60;

/** Options of {@link pickPaint}. */
export interface PickPaintOptions {
  /** A kept pixel the edit changed by more than this many levels (largest channel) is painted. Default 15. */
  readonly threshold?: number;
  /** The painted pixels are closed over a box of (2r+1)^2 within the kept region, to fill the paint's holes. Default 8. */
  readonly close?: number;
}

/**
 * The edit and the frame are compared in the mean over a (2r+1)^2 box, per channel: the noise a
 * video codec leaves (up to 14 levels a pixel on textured clothing at crf 16) averages out, a patch
 * does not.
 */
const SMOOTH = 2;
/** Kept pixels this far (px) from the erased background are not read: an edit's soft edge blends in the white. */
const EDGE = 2 + SMOOTH;
/** An edit that copies fewer of its kept pixels than this (within {@link COPIED_LEVELS}) changed colours, not a patch: it paints nothing. */
const COPIED_SHARE = 0.5;
/** A kept pixel whose smoothed change is at most this many levels in every channel was copied. */
const COPIED_LEVELS = 4;
/** Fewer painted pixels than this share of the frame is noise, not paint. */
const MIN_PAINTED_SHARE = 0.001;
/**
 * Changed pixels whose fine structure (grey minus its 5x5 mean) follows the frame's this closely
 * (correlation) were recoloured (teeth whitened, a shirt tinted), not painted over: painting pastes
 * content, recolouring keeps the frame's. Measured: the fingers painted over in bench/patching.ts's
 * clips (people, talking head, scooter) correlate at most 0.13.
 */
const RECOLOURED = 0.5;

/**
 * Reads what the edit of one pick painted: the kept pixels it changed (the difference averaged over a
 * small box, past `threshold`, then closed within the kept region), away from its outline and apart
 * from pixels it only blended toward white (a feathered erase). An edit that changed most of what it
 * kept (levels, a colour grade), that changed colours but kept the frame's structure (a local
 * recolour), or that only erased the background paints nothing: undefined.
 *
 * @example
 * const paint = pickPaint(21, frames.get(21)!.data, edits.get(21)!, 400, 400);
 * @throws {InvalidOptionError} when a buffer is not `width * height * 3` bytes, or for an option out of its range.
 */
export function pickPaint(index: number, frame: Uint8Array, edit: Uint8Array, width: number, height: number, options: PickPaintOptions = {}): PickPaint | undefined {
  checkImageSize('pickPaint frame', frame, width, height, 3);
  checkImageSize('pickPaint edit', edit, width, height, 3);
  const threshold = expectNumber('pickPaint.threshold', options.threshold ?? 15, 1, 254);
  const closing = expectInteger('pickPaint.close', options.close ?? 8, 0, 64);
  const size = width * height;
  const { kept, inner, change, before } = keptChange(frame, edit, width, height);
  const seeds = new Uint8Array(size);
  if (!copiedMost(inner, change)) return undefined;
  for (let q = 0; q < size; q++) {
    if (inner[q] && changeAt(change, q) > threshold && !towardWhite(change, before, q)) seeds[q] = 255;
  }
  if (structureFollows(frame, edit, seeds, width, height) > RECOLOURED) return undefined;
  const closed = close(seeds, width, height, closing);
  let count = 0;
  for (let q = 0; q < size; q++) {
    if (!kept[q]) closed[q] = 0;
    else if (closed[q]) count++;
  }
  if (count < MIN_PAINTED_SHARE * size) return undefined;
  const intrusion = colourOf(frame, seeds);
  return { index, width, height, edit, grey: greyPlane(frame, width, height), kept, painted: closed, intrusion, entry: entryOf(frame, seeds, intrusion, width, height) };
}

/** {@link PickPaint.entry}: the border pixels that `seeds`, flooded over 4-neighbours of the intrusion's colour, reach, widened by a square box and kept on the border. */
function entryOf(frame: Uint8Array, seeds: Uint8Array, intrusion: PickPaint['intrusion'], width: number, height: number): Uint8Array {
  const alike = likeIntrusion(frame, intrusion);
  const reached = new Uint8Array(width * height);
  const queue: number[] = [];
  for (let q = 0; q < seeds.length; q++) if (seeds[q] && alike(q)) (reached[q] = 1), queue.push(q);
  for (let k = 0; k < queue.length; k++) {
    const q = queue[k]!, x = q % width;
    for (const n of [x > 0 ? q - 1 : -1, x < width - 1 ? q + 1 : -1, q - width, q + width]) {
      if (n < 0 || n >= reached.length || reached[n] || !alike(n)) continue;
      if (Math.max(Math.abs(frame[n * 3]! - frame[q * 3]!), Math.abs(frame[n * 3 + 1]! - frame[q * 3 + 1]!), Math.abs(frame[n * 3 + 2]! - frame[q * 3 + 2]!)) > FLOOD_STEP) continue;
      reached[n] = 1;
      queue.push(n);
    }
  }
  const onBorder = (q: number) => q % width === 0 || q % width === width - 1 || q < width || q >= width * (height - 1);
  const crossing = reached.map((v, q) => (v && onBorder(q) ? 255 : 0));
  return dilate(crossing, width, height, ENTRY_SLACK).map((v, q) => (v && onBorder(q) ? 255 : 0));
}

/** What an edit kept (not white), that away from its outline, and how it changed the frame there, and the frame, both averaged over a small box per channel. */
function keptChange(frame: Uint8Array, edit: Uint8Array, width: number, height: number) {
  const size = width * height;
  const kept = nonWhiteMask(edit, width, height);
  const inner = erode(kept, width, height, EDGE);
  const smooth = (of: (q: number, c: number) => number) =>
    [0, 1, 2].map((c) => {
      const plane = new Float32Array(size);
      for (let q = 0; q < size; q++) plane[q] = of(q, c);
      return boxMean(plane, width, height, SMOOTH);
    });
  return { kept, inner, change: smooth((q, c) => edit[q * 3 + c]! - frame[q * 3 + c]!), before: smooth((q, c) => frame[q * 3 + c]!) };
}

/**
 * Whether an edit copied what it kept as the frame had it: at least half of its kept pixels away from
 * its outline within 4 levels (as {@link pickPaint} reads a painting edit; a levels change or a colour
 * grade copies few). True when it kept nothing readable.
 *
 * @example copiesKept(frames.get(21)!.data, edits.get(21)!, 400, 400) // false for a brightened frame
 */
export function copiesKept(frame: Uint8Array, edit: Uint8Array, width: number, height: number): boolean {
  const { inner, change } = keptChange(frame, edit, width, height);
  return copiedMost(inner, change, true);
}

/** The largest channel's smoothed change at pixel q. */
function changeAt(change: Float32Array[], q: number): number {
  return Math.max(Math.abs(change[0]![q]!), Math.abs(change[1]![q]!), Math.abs(change[2]![q]!));
}

/** Whether at least {@link COPIED_SHARE} of the `inner` pixels changed by {@link COPIED_LEVELS} or less; `none` when there are none. */
function copiedMost(inner: Uint8Array, change: Float32Array[], none = false): boolean {
  let readable = 0, copied = 0;
  for (let q = 0; q < inner.length; q++) {
    if (!inner[q]) continue;
    readable++;
    if (changeAt(change, q) <= COPIED_LEVELS) copied++;
  }
  return readable === 0 ? none : copied >= COPIED_SHARE * readable;
}

/** Whether the edit only moved pixel q toward white by one share in every channel (a feathered erase's blend). */
function towardWhite(change: Float32Array[], before: Float32Array[], q: number): boolean {
  let low = Infinity, high = -Infinity;
  for (let c = 0; c < 3; c++) {
    const room = 255 - before[c]![q]!;
    if (room < 24) continue;
    const share = change[c]![q]! / room;
    low = Math.min(low, share);
    high = Math.max(high, share);
  }
  return low > 0.03 && high <= 1.05 && high - low < 0.2;
}

/** The correlation, over `mask`, of the fine structure (grey minus its 5x5 mean) of the edit and of the frame; 0 for an empty mask. */
function structureFollows(frame: Uint8Array, edit: Uint8Array, mask: Uint8Array, width: number, height: number): number {
  const fine = (rgb: Uint8Array) => {
    const grey = greyPlane(rgb, width, height).data;
    const values = Float32Array.from(grey);
    const mean = boxMean(values, width, height, 2);
    for (let q = 0; q < values.length; q++) values[q] = values[q]! - mean[q]!;
    return values;
  };
  const a = fine(frame), b = fine(edit);
  let ab = 0, aa = 0, bb = 0;
  for (let q = 0; q < mask.length; q++) {
    if (!mask[q]) continue;
    ab += a[q]! * b[q]!;
    aa += a[q]! ** 2;
    bb += b[q]! ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Whether pixel q of `input` has the intrusion's colour (every channel within its tolerance of its mean).
 *
 * @example likeIntrusion(frame, paint.intrusion)(q) // true on the fingers
 */
export function likeIntrusion(input: Uint8Array, { mean, tolerance }: PickPaint['intrusion']): (q: number) => boolean {
  return (q) => Math.abs(input[q * 3]! - mean[0]) <= tolerance && Math.abs(input[q * 3 + 1]! - mean[1]) <= tolerance && Math.abs(input[q * 3 + 2]! - mean[2]) <= tolerance;
}

/** The mean colour of `frame` over `mask`, and a tolerance of 2.5 standard deviations (largest channel), 20 to 80 levels. */
function colourOf(frame: Uint8Array, mask: Uint8Array): PickPaint['intrusion'] {
  const sum = [0, 0, 0], squares = [0, 0, 0];
  let n = 0;
  for (let q = 0; q < mask.length; q++) {
    if (!mask[q]) continue;
    n++;
    for (let c = 0; c < 3; c++) {
      sum[c]! += frame[q * 3 + c]!;
      squares[c]! += frame[q * 3 + c]! ** 2;
    }
  }
  n = Math.max(1, n);
  const mean = sum.map((v) => v / n) as [number, number, number];
  const spread = Math.max(...squares.map((v, c) => Math.sqrt(Math.max(0, v / n - mean[c]! ** 2))));
  return { mean, tolerance: Math.min(80, Math.max(20, 2.5 * spread)) };
}

/**
 * What each pick's edit painted over its frame ({@link pickPaint}), for the picks that painted:
 * `frames` holds every pick's source frame (`crop` x `crop`).
 *
 * @example picksPaint(picks, await collectFrames(video, picks.map((p) => p.frame)), 400).length > 0 // the edits paint
 */
export function picksPaint(picks: readonly { readonly frame: number; readonly target: Uint8Array }[], frames: ReadonlyMap<number, { readonly data: Uint8Array }>, crop: number): PickPaint[] {
  return picks.flatMap((pick) => pickPaint(pick.frame, frames.get(pick.frame)!.data, pick.target, crop, crop) ?? []);
}
