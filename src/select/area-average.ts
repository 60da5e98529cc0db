import type { Frame } from '../pipeline/frame';

/**
 * The frame averaged down to a `cols` x `rows` lattice: each cell the mean RGB of the pixels that
 * fall in it (a box filter), packed as `rows * cols * 3` floats. Used for embeddings and thumbnails.
 *
 * @example
 * areaAverage(frame400x400, 32, 32).length; // 3072
 */
export function areaAverage(frame: Pick<Frame, 'width' | 'height' | 'data'>, cols: number, rows: number): Float64Array {
  const { width, height, data } = frame;
  const sums = new Float64Array(cols * rows * 3);
  const counts = new Uint32Array(cols * rows);
  const column = Int32Array.from({ length: width }, (_, x) => Math.min(cols - 1, Math.floor((x * cols) / width)));
  for (let y = 0; y < height; y++) {
    const row = Math.min(rows - 1, Math.floor((y * rows) / height)) * cols;
    for (let x = 0; x < width; x++) {
      const g = row + column[x]!;
      const p = (y * width + x) * 3;
      sums[g * 3]! += data[p]!;
      sums[g * 3 + 1]! += data[p + 1]!;
      sums[g * 3 + 2]! += data[p + 2]!;
      counts[g]! += 1;
    }
  }
  for (let g = 0; g < cols * rows; g++) {
    const n = Math.max(1, counts[g]!);
    sums[g * 3]! /= n;
    sums[g * 3 + 1]! /= n;
    sums[g * 3 + 2]! /= n;
  }
  return sums;
}
