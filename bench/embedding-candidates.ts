/**
 * The frame embeddings compared by bench/frame-embeddings.ts and bench/suggest-picks.ts: vidgan's
 * pooled image statistics (`embedFrame`), the MediaPipe person prior's output pooled to 8x8 (the
 * prior's encoder is not exported by the native graph, so its mask stands in for it), both
 * concatenated, and a naive 8x8 grey thumbnail as the baseline.
 */
import { PersonPrior } from '../src/prior/person-prior';
import type { Frame } from '../src/pipeline/frame';
import { areaAverage } from '../src/select/area-average';
import { embedFrame } from '../src/select/frame-embedding';

export type CandidateName = 'pooled' | 'prior' | 'pooled+prior' | 'thumb';
export const CANDIDATES: readonly CandidateName[] = ['pooled', 'prior', 'pooled+prior', 'thumb'];

/** Every candidate's embedding of each frame, and the time each took per frame. */
export async function embedCandidates(frames: readonly Frame[], prior: PersonPrior): Promise<{ embeddings: Record<CandidateName, Float32Array[]>; msPerFrame: Record<CandidateName, number> }> {
  let t = performance.now();
  const pooled = frames.map((f) => embedFrame(f));
  const pooledMs = (performance.now() - t) / frames.length;
  t = performance.now();
  const priorPlanes: Float32Array[] = [];
  for (const f of frames) {
    const [plane] = await prior.probability([f]);
    const grid = areaAverage({ width: f.width, height: f.height, data: greyToRgb(plane!) }, 8, 8);
    // One channel of the three (they are equal), scaled so a frame-filling change weighs like the pooled features.
    priorPlanes.push(Float32Array.from({ length: 64 }, (_, k) => grid[k * 3]! / 32));
  }
  const priorMs = (performance.now() - t) / frames.length;
  t = performance.now();
  const thumb = frames.map((f) => {
    const grid = areaAverage(f, 8, 8);
    return Float32Array.from({ length: 64 }, (_, k) => (grid[k * 3]! + grid[k * 3 + 1]! + grid[k * 3 + 2]!) / 3 / 64);
  });
  const thumbMs = (performance.now() - t) / frames.length;
  const both = pooled.map((e, i) => Float32Array.from([...e, ...priorPlanes[i]!]));
  return {
    embeddings: { pooled, prior: priorPlanes, 'pooled+prior': both, thumb },
    msPerFrame: { pooled: pooledMs, prior: priorMs, 'pooled+prior': pooledMs + priorMs, thumb: thumbMs },
  };
}

function greyToRgb(plane: Uint8Array): Uint8Array {
  const out = new Uint8Array(plane.length * 3);
  for (let p = 0; p < plane.length; p++) out.fill(plane[p]!, p * 3, p * 3 + 3);
  return out;
}

/** Spearman's rank correlation of two equally long series. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (v: readonly number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}
