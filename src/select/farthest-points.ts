import { InvalidOptionError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';
import { embeddingDistance } from './frame-embedding';

/** Options of {@link farthestPoints}. */
export interface FarthestPointsOptions {
  /** Frames already chosen (e.g. the picks already edited): new ones are chosen far from them too. */
  readonly given?: readonly number[];
  /** Frames never to choose. */
  readonly exclude?: readonly number[];
}

/**
 * Greedy k-centre (farthest-point) selection: each new frame is the one farthest, in embedding
 * space, from every frame chosen so far, which keeps the largest distance of any frame to its
 * nearest chosen frame within twice the optimum (Gonzalez 1985). With nothing given, the first
 * frame is the medoid-like frame nearest the mean embedding, so a set of one is the most typical
 * frame rather than an extreme. Ties go to the earlier frame, so the result is deterministic.
 *
 * @example
 * farthestPoints(embeddings, 8); // 8 frame indices, in the order chosen
 * farthestPoints(embeddings, 4, { given: [12, 80] }); // 4 more, none of them 12 or 80
 * @throws {InvalidOptionError} for a count that is not a positive integer, or more than the frames left.
 */
export function farthestPoints(embeddings: readonly Float32Array[], count: number, options: FarthestPointsOptions = {}): number[] {
  const n = embeddings.length;
  const given = options.given ?? [];
  const excluded = new Set([...given, ...(options.exclude ?? [])]);
  const available = n - [...excluded].filter((i) => i >= 0 && i < n).length;
  expectInteger('count', count, 1, Number.MAX_SAFE_INTEGER);
  if (count > available) {
    throw new InvalidOptionError(
      `Expected at most ${available} frames for count (the video has ${n} frames, ${n - available} already picked or excluded) but received ${count}.`,
    );
  }
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const chosen: number[] = [];
  const add = (index: number) => {
    const e = embeddings[index]!;
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, embeddingDistance(embeddings[i]!, e));
  };
  for (const g of given) if (g >= 0 && g < n) add(g);
  if (given.length === 0) {
    const first = nearestToMean(embeddings, excluded);
    chosen.push(first);
    excluded.add(first);
    add(first);
  }
  while (chosen.length < count) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!excluded.has(i) && (best < 0 || nearest[i]! > nearest[best]!)) best = i;
    chosen.push(best);
    excluded.add(best);
    add(best);
  }
  return chosen;
}

function nearestToMean(embeddings: readonly Float32Array[], excluded: ReadonlySet<number>): number {
  const mean = new Float32Array(embeddings[0]!.length);
  for (const e of embeddings) for (let k = 0; k < e.length; k++) mean[k]! += e[k]! / embeddings.length;
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  embeddings.forEach((e, i) => {
    const d = embeddingDistance(e, mean);
    if (!excluded.has(i) && d < bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}
