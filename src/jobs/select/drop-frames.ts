import { filter, lastValueFrom } from 'rxjs';
import { DEFAULT_FPS } from '../../pipeline/default-sampling';
import { FrameBudget } from '../../pipeline/frame-budget';
import { decodeVideo } from '../../stages/decode-video';
import { encodeVideo, type EncodeProgress } from '../../stages/encode-video';
import { prepareOutputFile } from '../../stages/output-path';

/** Options of {@link dropFrames}. */
export interface DropFramesOptions {
  /** Sampling rate the indices refer to; the output has this rate. Default {@link DEFAULT_FPS} (10). */
  readonly fps?: number;
  /** Centre crop of the output (as `extract`); default: full frames. */
  readonly crop?: number;
  readonly overwrite?: boolean;
  readonly crf?: number;
  readonly signal?: AbortSignal;
}

/**
 * Writes the video without the given frames (the study's cleanup of outlier frames): decoded at
 * `fps`, the dropped frames left out, re-encoded as H.264 at the same rate, so it is shorter by
 * their duration. The audio is left out, since it would no longer match the pictures.
 *
 * Memory stays bounded: a dropped frame is released from the budget as soon as it is seen, which
 * also releases the kept frames before it that the encoder still queues, so at most the budget plus
 * the number of dropped frames are in memory.
 *
 * @example
 * await dropFrames('talk.mp4', 'talk.clean.mp4', [120, 121, 122]);
 * @throws {OutputExistsError} when `out` exists and `overwrite` is not set.
 * @throws {BadInputError}, {FfmpegError}, {CancelledError} as decodeVideo and encodeVideo.
 */
export async function dropFrames(video: string, out: string, indices: readonly number[], options: DropFramesOptions = {}): Promise<EncodeProgress | undefined> {
  const fps = options.fps ?? DEFAULT_FPS;
  await prepareOutputFile(out, { overwrite: options.overwrite ?? false });
  const dropped = new Set(indices);
  const budget = new FrameBudget(16);
  return lastValueFrom(
    decodeVideo(video, { fps, crop: options.crop, budget, signal: options.signal }).pipe(
      filter((frame) => {
        if (dropped.has(frame.index)) {
          budget.releaseThrough(frame.index);
          return false;
        }
        return true;
      }),
      // The encoder times frames by arrival, so the output has no gaps where frames were dropped.
      encodeVideo(out, { fps, crf: options.crf, overwrite: options.overwrite ?? false, budget, signal: options.signal }),
    ),
    { defaultValue: undefined },
  ).finally(() => budget.releaseAll());
}
