import type { Frame } from '../pipeline/frame';
import { areaAverage } from './area-average';

/**
 * The version of {@link embedFrame}'s features; part of the embedding cache key, so a cache written
 * by another version is recomputed rather than misread.
 */
export const EMBEDDING_VERSION = 'pooled-1';

/** Length of the vector {@link embedFrame} returns. */
export const EMBEDDING_SIZE = 4 * 4 * 3 + 3 * 8 + 4 * 4;

// The side of the grid the frame is first averaged down to: fine enough for edges, coarse enough
// that sensor noise and compression averages out.
const GRID = 32;
// Weights of the three groups. The colour distribution dominates: it ignores camera motion, so a
// handheld shot stays one cloud while another scene spliced in stands apart; layout and detail still
// order the frames within a shot. Chosen on DAVIS clips spliced into each other, the real interview
// and the synthetic splice fixture (bench/frame-embeddings.ts, docs/SELECT.md).
const LAYOUT_WEIGHT = 1 / 320;
const HISTOGRAM_WEIGHT = 6;
const TEXTURE_WEIGHT = 1 / 60;

/**
 * An embedding of one frame from pooled image statistics: where the frame is light, dark and
 * coloured (4x4 grid means of luma and two opponent colours), its global colour distribution (an
 * 8-bin histogram per opponent channel) and where it has detail (4x4 grid means of the gradient
 * magnitude). Frames of one shot lie close together; a cutaway, a title card or a black frame lies
 * far away. Euclidean distances between these vectors are what `suggest`, `outliers` and `similar`
 * compare. It was chosen over the person prior's features by measurement (docs/SELECT.md): as good
 * at separating foreign frames, and thousands of times cheaper.
 *
 * @example
 * const e = embedFrame(frame); // Float32Array of EMBEDDING_SIZE values
 */
export function embedFrame(frame: Pick<Frame, 'width' | 'height' | 'data'>): Float32Array {
  const { l, a, b } = opponentGrid(frame);
  const out = new Float32Array(EMBEDDING_SIZE);
  let o = 0;
  // Layout: 4x4 cells of 8x8 grid points.
  for (const plane of [l, a, b]) {
    for (let cy = 0; cy < 4; cy++) {
      for (let cx = 0; cx < 4; cx++) {
        let sum = 0;
        for (let y = cy * 8; y < cy * 8 + 8; y++) for (let x = cx * 8; x < cx * 8 + 8; x++) sum += plane[y * GRID + x]!;
        out[o++] = (sum / 64) * LAYOUT_WEIGHT;
      }
    }
  }
  // Colour distribution: luma over [0, 255], opponent channels over [-255, 255] (most mass near 0).
  for (const [plane, lo, hi] of [
    [l, 0, 256],
    [a, -128, 128],
    [b, -128, 128],
  ] as const) {
    const bins = new Float32Array(8);
    for (let p = 0; p < plane.length; p++) {
      const bin = Math.min(7, Math.max(0, Math.floor(((plane[p]! - lo) / (hi - lo)) * 8)));
      bins[bin]! += 1;
    }
    for (let i = 0; i < 8; i++) out[o++] = (bins[i]! / plane.length) * HISTOGRAM_WEIGHT;
  }
  // Detail: gradient magnitude of the luma grid, pooled over 4x4 cells.
  for (let cy = 0; cy < 4; cy++) {
    for (let cx = 0; cx < 4; cx++) {
      let sum = 0;
      for (let y = cy * 8; y < cy * 8 + 8; y++) {
        for (let x = cx * 8; x < cx * 8 + 8; x++) {
          const right = l[y * GRID + Math.min(GRID - 1, x + 1)]! - l[y * GRID + x]!;
          const down = l[Math.min(GRID - 1, y + 1) * GRID + x]! - l[y * GRID + x]!;
          sum += Math.sqrt(right * right + down * down);
        }
      }
      out[o++] = (sum / 64) * TEXTURE_WEIGHT;
    }
  }
  return out;
}

/** Area means of the frame over a GRID x GRID lattice, in luma and two opponent colour channels. */
function opponentGrid(frame: Pick<Frame, 'width' | 'height' | 'data'>): { l: Float32Array; a: Float32Array; b: Float32Array } {
  const rgb = areaAverage(frame, GRID, GRID);
  const l = new Float32Array(GRID * GRID);
  const a = new Float32Array(GRID * GRID);
  const b = new Float32Array(GRID * GRID);
  for (let g = 0; g < GRID * GRID; g++) {
    const [r, gr, bl] = [rgb[g * 3]!, rgb[g * 3 + 1]!, rgb[g * 3 + 2]!];
    l[g] = (r + gr + bl) / 3;
    a[g] = r - gr;
    b[g] = (r + gr) / 2 - bl;
  }
  return { l, a, b };
}

/**
 * Euclidean distance between two embeddings.
 *
 * @example embeddingDistance(embedFrame(a), embedFrame(b))
 */
export function embeddingDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}
