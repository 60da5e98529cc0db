import { expectInteger } from '../pipeline/validate';
import { embeddingDistance } from './frame-embedding';

/** A frame and its distance to a query. */
export interface FrameDistance {
  readonly index: number;
  readonly distance: number;
}

/**
 * The `count` frames nearest to `query` in embedding space, nearest first (ties: earlier frame
 * first); `exclude` leaves frames out (e.g. the query's own frame).
 *
 * @example
 * nearestFrames(embeddings, embeddings[120]!, 5, [120]); // the 5 frames most like frame 120
 * @throws {InvalidOptionError} for a count that is not a positive integer.
 */
export function nearestFrames(embeddings: readonly Float32Array[], query: Float32Array, count: number, exclude: readonly number[] = []): FrameDistance[] {
  expectInteger('count', count, 1, Number.MAX_SAFE_INTEGER);
  const skip = new Set(exclude);
  return embeddings
    .map((e, index) => ({ index, distance: embeddingDistance(e, query) }))
    .filter((f) => !skip.has(f.index))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, count);
}
