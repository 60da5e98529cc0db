import { map, type OperatorFunction } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { embedFrame } from './frame-embedding';

/** One frame's embedding, as {@link embedFrames} emits it. */
export interface FrameEmbedding {
  readonly index: number;
  readonly timeSec: number;
  readonly embedding: Float32Array;
}

/**
 * A sink stage that turns each frame into its embedding ({@link embedFrame}) and lets the frame go:
 * with the source's `budget`, each frame is released as soon as it is embedded, so a whole video is
 * embedded in one pass with a few frames in memory.
 *
 * @example
 * const budget = new FrameBudget(16);
 * decodeVideo('clip.mp4', { crop: 400, budget }).pipe(embedFrames({ budget }), toArray());
 */
export function embedFrames(options: { readonly budget?: FrameBudget } = {}): OperatorFunction<Frame, FrameEmbedding> {
  return map((frame) => {
    const embedding = embedFrame(frame);
    options.budget?.releaseThrough(frame.index);
    return { index: frame.index, timeSec: frame.timeSec, embedding };
  });
}
