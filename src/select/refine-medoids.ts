import { embeddingDistance } from './frame-embedding';

/** Options of {@link refineMedoids}. */
export interface RefineMedoidsOptions {
  /** Frames that stay chosen and attract frames, but are not moved (picks already edited). */
  readonly fixed?: readonly number[];
  /** Frames never to move a pick to. */
  readonly exclude?: readonly number[];
  /** Rounds at most. Default 10. */
  readonly rounds?: number;
}

/**
 * Moves each chosen frame to the medoid of the frames nearest to it (alternating k-medoids, Park and
 * Jun 2009), round after round until nothing moves: farthest-point seeds reach every look of the
 * video but sit at its extremes; the medoids stand for their groups, so the mean distance of a frame
 * to its nearest chosen frame drops while every group keeps its own frame. Deterministic.
 *
 * @example
 * refineMedoids(embeddings, farthestPoints(embeddings, 8)); // 8 frames, one per group, central in it
 */
export function refineMedoids(embeddings: readonly Float32Array[], chosen: readonly number[], options: RefineMedoidsOptions = {}): number[] {
  const fixed = options.fixed ?? [];
  const excluded = new Set([...(options.exclude ?? []), ...fixed]);
  let current = [...chosen];
  for (let round = 0; round < (options.rounds ?? 10); round++) {
    const centres = [...fixed, ...current];
    const groups = centres.map(() => [] as number[]);
    embeddings.forEach((e, i) => {
      if (excluded.has(i) && !fixed.includes(i)) return;
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      centres.forEach((c, k) => {
        const d = embeddingDistance(e, embeddings[c]!);
        if (d < bestDistance) [best, bestDistance] = [k, d];
      });
      groups[best]!.push(i);
    });
    const taken = new Set(fixed);
    const next = current.map((c, k) => {
      const members = groups[fixed.length + k]!.filter((i) => !excluded.has(i) && !taken.has(i));
      const medoid = members.length === 0 ? c : medoidOf(embeddings, members, groups[fixed.length + k]!);
      taken.add(medoid);
      return medoid;
    });
    if (next.every((m, k) => m === current[k])) break;
    current = next;
  }
  return current;
}

/** The candidate with the least total distance to the group's members (ties: the earlier frame). */
function medoidOf(embeddings: readonly Float32Array[], candidates: readonly number[], members: readonly number[]): number {
  let best = candidates[0]!;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    let cost = 0;
    for (const m of members) cost += embeddingDistance(embeddings[c]!, embeddings[m]!);
    if (cost < bestCost) [best, bestCost] = [c, cost];
  }
  return best;
}
