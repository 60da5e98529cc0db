import { farthestPoints } from './farthest-points';
import { outlierScores } from './outlier-scores';
import { refineMedoids } from './refine-medoids';

/** Options of {@link suggestPicks}. */
export interface SuggestPicksOptions {
  /** Frames already edited: the suggestions complement them. */
  readonly given?: readonly number[];
  /** Also suggest outlier frames. Default false. */
  readonly includeOutliers?: boolean;
}

/**
 * The frames to edit next: `count` frames seeded by k-centre ({@link farthestPoints}) away from the
 * `given` ones, so every look of the video gets one, then each moved to the medoid of its group
 * ({@link refineMedoids}), so it stands for the frames it must teach the model about rather than
 * for an extreme. Outliers are left out ({@link outlierScores}: a black frame or a title card is far
 * from everything, so k-centre would take it first, yet editing it teaches the model little).
 *
 * @example
 * const { frames, skippedOutliers } = suggestPicks(embeddings, 8);
 * @throws {InvalidOptionError} for a count that is not a positive integer, or more than the frames left.
 */
export function suggestPicks(
  embeddings: readonly Float32Array[],
  count: number,
  options: SuggestPicksOptions = {},
): { frames: number[]; skippedOutliers: number[] } {
  const skippedOutliers = options.includeOutliers ? [] : outlierScores(embeddings).filter((s) => s.outlier).map((s) => s.index);
  const seeds = farthestPoints(embeddings, count, { given: options.given, exclude: skippedOutliers });
  const frames = refineMedoids(embeddings, seeds, { fixed: options.given, exclude: skippedOutliers });
  return { frames, skippedOutliers };
}
