import { expectInteger, expectNumber } from '../pipeline/validate';
import { embeddingDistance } from './frame-embedding';

/** Options of {@link outlierScores}. */
export interface OutlierScoresOptions {
  /**
   * Frames already edited (picks, or a model's training frames). Given, a frame's distance is to
   * its nearest edited frame: where the model has seen nothing like it. Absent, it is the distance
   * to the frame's `k`-th nearest frame: how unlike the rest of the video it is.
   */
  readonly picks?: readonly number[];
  /**
   * Neighbour rank of the distance without picks. Default: 10% of the frames, at least 5: a run of
   * foreign frames shorter than that (a cutaway, a title card, black frames) has too few frames
   * like itself and scores high, while frames of a shot, which have many neighbours, score low.
   */
  readonly k?: number;
  /** A frame whose score reaches this is an outlier. Default {@link DEFAULT_OUTLIER_THRESHOLD}. */
  readonly threshold?: number;
}

/**
 * Score above which a frame is an outlier: its distance is 3 times the video's median distance.
 * On the clean DAVIS clips and the real interview no frame reaches 2.1, while spliced-in frames of
 * another person, a title card or black frames score 14 and up; frames of another handheld outdoor
 * scene (bmx-trees in scooter-black) score 3.04, just over it (bench/frame-embeddings.ts, docs/SELECT.md).
 */
export const DEFAULT_OUTLIER_THRESHOLD = 3;

/** One frame's outlier score. */
export interface OutlierScore {
  readonly index: number;
  /** The frame's distance divided by the median distance over the video's frames (1 = typical). */
  readonly score: number;
  /** The raw embedding distance. */
  readonly distance: number;
  /** Whether the score reaches the threshold. */
  readonly outlier: boolean;
  /** With picks: the nearest edited frame. */
  readonly nearestPick?: number;
}

/**
 * Scores every frame by how unlike the others (or, given picks, how unlike every edited frame) it
 * is, relative to the video's typical distance, so one threshold serves every video. Returned in
 * frame order; sort by `score` for worst first.
 *
 * @example
 * const worst = outlierScores(embeddings).filter((s) => s.outlier).sort((a, b) => b.score - a.score);
 * @throws {InvalidOptionError} for a bad `k` or `threshold`, or picks outside the video.
 */
export function outlierScores(embeddings: readonly Float32Array[], options: OutlierScoresOptions = {}): OutlierScore[] {
  const n = embeddings.length;
  const threshold = expectNumber('threshold', options.threshold ?? DEFAULT_OUTLIER_THRESHOLD, 0, 1e9);
  if (n === 0) return [];
  const picks = options.picks;
  picks?.forEach((p, i) => expectInteger(`picks[${i}]`, p, 0, n - 1));
  const raw: Array<{ distance: number; nearestPick?: number }> =
    picks !== undefined && picks.length > 0 ? distancesToPicks(embeddings, picks) : kthNeighbourDistances(embeddings, options.k);
  const scale = typicalDistance(raw.map((r) => r.distance), picks);
  return raw.map((r, index) => {
    const score = scale > 0 ? r.distance / scale : r.distance > 0 ? Number.POSITIVE_INFINITY : 0;
    return { index, score, distance: r.distance, outlier: score >= threshold, ...(r.nearestPick === undefined ? {} : { nearestPick: r.nearestPick }) };
  });
}

function kthNeighbourDistances(embeddings: readonly Float32Array[], kOption: number | undefined): Array<{ distance: number }> {
  const n = embeddings.length;
  const k = Math.min(n - 1, expectInteger('k', kOption ?? Math.max(5, Math.round(n * 0.1)), 1, 1_000_000));
  if (k < 1) return embeddings.map(() => ({ distance: 0 }));
  const row = new Float64Array(n);
  return embeddings.map((e, i) => {
    for (let j = 0; j < n; j++) row[j] = j === i ? Number.POSITIVE_INFINITY : embeddingDistance(e, embeddings[j]!);
    // The k-th smallest of the row (sorting a copy is O(n log n); fine for the frame counts of a video's embedding).
    const sorted = Float64Array.from(row).sort();
    return { distance: sorted[k - 1]! };
  });
}

function distancesToPicks(embeddings: readonly Float32Array[], picks: readonly number[]): Array<{ distance: number; nearestPick: number }> {
  return embeddings.map((e) => {
    let nearestPick = picks[0]!;
    let distance = Number.POSITIVE_INFINITY;
    for (const p of picks) {
      const d = embeddingDistance(e, embeddings[p]!);
      if (d < distance) [distance, nearestPick] = [d, p];
    }
    return { distance, nearestPick };
  });
}

/**
 * The video's typical distance: the median over frames. With picks, the picks themselves (distance
 * 0) are left out, so the scale is that of the frames the model must generalise to.
 */
function typicalDistance(distances: readonly number[], picks: readonly number[] | undefined): number {
  const picked = new Set(picks ?? []);
  const rest = distances.filter((_, i) => !picked.has(i)).sort((a, b) => a - b);
  if (rest.length === 0) return 0;
  const mid = rest.length >> 1;
  return rest.length % 2 === 1 ? rest[mid]! : (rest[mid - 1]! + rest[mid]!) / 2;
}
