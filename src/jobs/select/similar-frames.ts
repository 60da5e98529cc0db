import { DEFAULT_CROP } from '../../pipeline/default-sampling';
import { BadInputError } from '../../pipeline/errors';
import { makeFrame } from '../../pipeline/frame';
import { expectInteger } from '../../pipeline/validate';
import { readRgbImage } from '../../eval/read-image';
import { embedFrame } from '../../select/frame-embedding';
import { embedVideo, type EmbedVideoOptions } from '../../select/embed-video';
import { nearestFrames, type FrameDistance } from '../../select/nearest-frames';
import { cropFrame } from '../../stages/center-crop';

/** Options of {@link similarFrames}. */
export interface SimilarFramesOptions extends EmbedVideoOptions {
  readonly video: string;
  /** A frame index of the video, or the path of an image (cropped to the video's crop as `extract` would). */
  readonly like: number | string;
  /** How many frames. Default 10. */
  readonly count?: number;
}

/**
 * The frames of a video most like a given frame or image, nearest first: for finding the other
 * frames of a shot, the frames an edit will carry over best to, or where a still came from.
 * A frame index leaves that frame itself out.
 *
 * @example
 * const near = await similarFrames({ video: 'talk.mp4', like: 120, count: 5 });
 * const where = await similarFrames({ video: 'talk.mp4', like: 'poster.png', count: 1 });
 * @throws {InvalidOptionError} for a bad count.
 * @throws {BadInputError} for a frame index past the end or an unreadable image.
 */
export async function similarFrames(options: SimilarFramesOptions): Promise<FrameDistance[]> {
  const count = expectInteger('count', options.count ?? 10, 1, 1_000_000);
  const { embeddings } = await embedVideo(options.video, options);
  if (typeof options.like === 'number') {
    const query = embeddings[options.like];
    if (query === undefined) {
      throw new BadInputError(
        `Frame ${options.like} is past the end of ${options.video} (${embeddings.length} frames, numbered 0 to ${embeddings.length - 1}).`,
      );
    }
    return nearestFrames(embeddings, query, count, [options.like]);
  }
  const image = await readRgbImage(options.like);
  const frame = cropFrame(makeFrame(0, 0, image.width, image.height, image.data), options.crop ?? DEFAULT_CROP);
  return nearestFrames(embeddings, embedFrame(frame), count);
}
