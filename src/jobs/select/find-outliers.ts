import { readCheckpointInfo } from '../../gan/checkpoint';
import { BadInputError, InvalidOptionError } from '../../pipeline/errors';
import { embedVideo, type EmbedVideoOptions } from '../../select/embed-video';
import { readPickSpecs } from './read-pick-specs';
import { DEFAULT_OUTLIER_THRESHOLD, outlierScores, type OutlierScore, type OutlierScoresOptions } from '../../select/outlier-scores';

/** Options of {@link findOutliers}. */
export interface FindOutliersOptions extends EmbedVideoOptions, Pick<OutlierScoresOptions, 'k' | 'threshold'> {
  readonly video: string;
  /** A picks file: score each frame by its distance to the nearest edited frame. */
  readonly picks?: string;
  /** A checkpoint written by `vidgan process`: its picks file (in its metadata) is used as `picks`. */
  readonly model?: string;
}

/** What {@link findOutliers} found. */
export interface OutliersReport {
  /** Every frame's score, worst first. */
  readonly scores: readonly OutlierScore[];
  /** The outliers (score at or above the threshold), worst first. */
  readonly outliers: readonly OutlierScore[];
  /** The edited frames the scores are relative to; empty when frames were compared with each other. */
  readonly picks: readonly number[];
  readonly totalFrames: number;
  readonly threshold: number;
}

/**
 * Finds the frames unlike the rest of the video (a cutaway, another person, a slide, a black frame)
 * or, given picks or a model trained on them, the frames far from every edited frame, where the
 * result is most likely wrong: every frame scored ({@link outlierScores}), worst first.
 *
 * @example
 * const { outliers } = await findOutliers({ video: 'talk.mp4' });
 * const risky = await findOutliers({ video: 'talk.mp4', picks: 'picks.txt' });
 * @throws {InvalidOptionError} for both `picks` and `model`, or a bad threshold or k.
 * @throws {BadInputError} for an unreadable video, picks file or checkpoint, a checkpoint without
 *   a picks file, or a pick past the end of the video.
 */
export async function findOutliers(options: FindOutliersOptions): Promise<OutliersReport> {
  if (options.picks !== undefined && options.model !== undefined) {
    throw new InvalidOptionError('Pass either --picks or --model, not both: the model was trained on picks of its own.');
  }
  const picksPath = options.model !== undefined ? await picksOfModel(options.model) : options.picks;
  const picks = picksPath === undefined ? [] : (await readPickSpecs(picksPath, options.fps)).map((p) => p.frame);
  const { embeddings } = await embedVideo(options.video, options);
  const past = picks.find((p) => p >= embeddings.length);
  if (past !== undefined) {
    throw new BadInputError(`${picksPath}: frame ${past} is past the end of the video (${embeddings.length} frames). Use the picks of this video.`, {
      path: picksPath,
    });
  }
  const scores = outlierScores(embeddings, { picks, k: options.k, threshold: options.threshold }).sort(
    (a, b) => b.score - a.score || a.index - b.index,
  );
  const threshold = options.threshold ?? DEFAULT_OUTLIER_THRESHOLD;
  return { scores, outliers: scores.filter((s) => s.outlier), picks, totalFrames: embeddings.length, threshold };
}

async function picksOfModel(model: string): Promise<string> {
  const info = await readCheckpointInfo(model);
  const picks = info.metadata.picks;
  if (picks === undefined || picks === '') {
    throw new BadInputError(
      `Checkpoint ${model} does not name the picks it was trained on (only models written by vidgan process do). Pass --picks <picks file> instead.`,
      { path: model },
    );
  }
  return picks;
}
