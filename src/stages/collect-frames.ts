import { filter, lastValueFrom, takeWhile, tap, toArray } from 'rxjs';
import { BadInputError } from '../pipeline/errors';
import { DEFAULT_FPS } from '../pipeline/default-sampling';
import type { Frame } from '../pipeline/frame';
import { FrameBudget } from '../pipeline/frame-budget';
import { releaseFrames } from '../pipeline/release-frames';
import { decodeVideo, type DecodeVideoOptions } from './decode-video';

/**
 * Decodes a video once and keeps the frames with the given indices (the source frames of the
 * picks), stopping after the last one. The frames are the ones `vidgan extract` writes: same
 * sampling, same crop, same indices.
 *
 * @example
 * const frames = await collectFrames('interview.mp4', [12, 480], { fps: 10, crop: 400 });
 * @throws {BadInputError} when the video cannot be read or ends before an index.
 */
export async function collectFrames(
  video: string,
  indices: readonly number[],
  options: Omit<DecodeVideoOptions, 'budget'> = {},
): Promise<Map<number, Frame>> {
  const wanted = new Set(indices);
  const last = Math.max(...indices);
  const budget = new FrameBudget(16);
  let decoded = 0;
  const frames = await lastValueFrom(
    decodeVideo(video, { ...options, budget }).pipe(
      releaseFrames(budget),
      tap(() => decoded++),
      takeWhile((frame) => frame.index <= last),
      filter((frame) => wanted.has(frame.index)),
      toArray(),
    ),
  );
  const found = new Map(frames.map((frame) => [frame.index, frame]));
  // The probe's duration is checked against the picks first; this catches a video that still
  // yields fewer frames than it promised, rather than handing the caller a missing frame.
  const missing = indices.filter((index) => !found.has(index)).sort((a, b) => a - b);
  if (missing.length > 0) {
    const fps = options.fps ?? DEFAULT_FPS;
    throw new BadInputError(
      `${video} ends after ${decoded} frames at ${fps} fps (numbered 0 to ${decoded - 1}), before frame${missing.length > 1 ? 's' : ''} ` +
        `${missing.join(', ')}. Pick frames inside the video (vidgan extract shows them).`,
      { path: video },
    );
  }
  return found;
}
