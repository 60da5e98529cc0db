import { filter, lastValueFrom, takeWhile, toArray } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import { FrameBudget } from '../pipeline/frame-budget';
import { releaseFrames } from '../pipeline/release-frames';
import { decodeVideo, type DecodeVideoOptions } from '../stages/decode-video';

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
  const frames = await lastValueFrom(
    decodeVideo(video, { ...options, budget }).pipe(
      releaseFrames(budget),
      takeWhile((frame) => frame.index <= last),
      filter((frame) => wanted.has(frame.index)),
      toArray(),
    ),
  );
  return new Map(frames.map((frame) => [frame.index, frame]));
}
