import { basename, dirname, join } from 'node:path';
import { expectInteger } from '../../pipeline/validate';

/** A frame range of a flow: frames `from` … `to - 1`; the last range has no `to` (to the end of the video). */
export interface FrameRange {
  readonly from: number;
  readonly to?: number;
}

/** Frames a range holds unless told (60 s at 10 fps): see docs/BATCH.md for what a range costs. */
export const DEFAULT_RANGE_FRAMES = 600;

/**
 * Splits a video of `totalFrames` frames into ranges of `rangeFrames` (rounded up to even, so that
 * every range starts where the engine's batches of two start in a whole run); the last range is
 * open-ended, so a duration that probing got slightly wrong loses no frame.
 *
 * @example
 * frameRanges(25, 10); // [{ from: 0, to: 10 }, { from: 10, to: 20 }, { from: 20 }]
 * @throws {InvalidOptionError} when rangeFrames is not an integer of at least 2.
 */
export function frameRanges(totalFrames: number, rangeFrames: number): FrameRange[] {
  const size = expectInteger('rangeFrames', rangeFrames, 2, Number.MAX_SAFE_INTEGER);
  const even = size + (size % 2);
  const ranges: FrameRange[] = [];
  for (let from = 0; from + even < totalFrames; from += even) ranges.push({ from, to: from + even });
  ranges.push({ from: ranges.length * even });
  return ranges;
}

/**
 * The folder a range's frames go to, beside the output and hidden:
 * `<dir>/.<name>.ranges/<from, six digits>`; assembly removes `<dir>/.<name>.ranges` once the video is whole.
 *
 * @example
 * rangeFolder('/out/talk.mp4', 600); // '/out/.talk.mp4.ranges/000600'
 */
export function rangeFolder(out: string, from: number): string {
  return join(rangesFolder(out), String(from).padStart(6, '0'));
}

/** The folder holding every range folder of an output (see {@link rangeFolder}). */
export function rangesFolder(out: string): string {
  return join(dirname(out), `.${basename(out)}.ranges`);
}
