import { fillFromNeighbours, tileField } from './tile-field';

/** Options of {@link shiftToFit}. */
export interface ShiftToFitOptions {
  /** The side (px) of the tiles that each take their own shift; each is fitted over its surroundings, the tile widened by half a side. Default 40. */
  readonly tile?: number;
  /** The largest shift tried (px, each way). Default 3. */
  readonly reach?: number;
  /** A tile takes its own shift only when this many of the pixels to fit lie in its surroundings; the others take their neighbours' ({@link fillFromNeighbours}), or with none the shift fitted over all of them. Default 400. */
  readonly least?: number;
}

/**
 * Moves a mapping from frame pixels to picture pixels (`source`: for each pixel q of the frame, the
 * pixel of `picture` it shows) by the whole-pixel shifts that make the picture fit the frame best on
 * the pixels `fit` lists: one shift fitted over all of them, then one for each `tile` that has at
 * least `least` of them around it; the other tiles move as the tiles around them, and the shifts are
 * interpolated bilinearly between tile centres. The fit is the mean
 * over those pixels of the largest channel's difference (RGB24 both); a shift is taken only where it
 * fits strictly better than the one it starts from (no shift, then the overall one), so a plain area
 * where every shift fits alike keeps its mapping. A new array; `source` is not changed.
 *
 * A motion read from optical flow is 1-3 px off where it was read far from where it is used (under
 * fingers that cover a face the flow follows the fingers); the picture's own texture around it places it.
 *
 * @example const placed = shiftToFit(frame, clean, 400, 400, source, ringPixels);
 */
export function shiftToFit(input: Uint8Array, picture: Uint8Array, width: number, height: number, source: Int32Array, fit: Int32Array, options: ShiftToFitOptions = {}): Int32Array {
  const { tile = 40, reach = 3, least = 400 } = options;
  if (fit.length === 0) return Int32Array.from(source);
  const cols = Math.ceil(width / tile), rows = Math.ceil(height / tile), tiles = cols * rows;
  const side = 2 * reach + 1;
  // A tile's surroundings are the tile widened by half a side: a pixel lies in those of up to two
  // columns and two rows of tiles.
  const within = (v: number, count: number): [number, number] => [Math.max(0, Math.ceil(v / tile - 1.5 + 1e-9)), Math.min(count - 1, Math.floor(v / tile + 0.5))];
  const near = new Int32Array(tiles);
  // Each pixel's place in the picture, and the tiles whose surroundings it lies in (up to 4, -1 for none).
  const fromX = new Int32Array(fit.length), fromY = new Int32Array(fit.length), within4 = new Int32Array(4 * fit.length).fill(-1);
  fit.forEach((q, i) => {
    [fromX[i], fromY[i]] = [source[q]! % width, Math.floor(source[q]! / width)];
    const [c0, c1] = within(q % width, cols), [r0, r1] = within(Math.floor(q / width), rows);
    let n = 0;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) near[(within4[4 * i + n++] = r * cols + c)]!++;
  });
  // The summed difference of every shift, over all the pixels and over each tile's surroundings.
  const overallSum = new Float64Array(side * side), tileSum = new Float64Array(side * side * tiles);
  for (let k = 0; k < side * side; k++) {
    const dx = (k % side) - reach, dy = Math.floor(k / side) - reach;
    const sums = tileSum.subarray(k * tiles, (k + 1) * tiles);
    let total = 0;
    for (let i = 0; i < fit.length; i++) {
      const q = 3 * fit[i]!;
      const x = Math.min(width - 1, Math.max(0, fromX[i]! + dx)), y = Math.min(height - 1, Math.max(0, fromY[i]! + dy));
      const from = 3 * (y * width + x);
      const d = Math.max(Math.abs(input[q]! - picture[from]!), Math.abs(input[q + 1]! - picture[from + 1]!), Math.abs(input[q + 2]! - picture[from + 2]!));
      total += d;
      for (let j = 4 * i; j < 4 * i + 4 && within4[j]! >= 0; j++) sums[within4[j]!]! += d;
    }
    overallSum[k] = total;
  }
  // The shift (an index into the sums) that fits strictly better than `start`, or `start`.
  const best = (sum: (k: number) => number, start: number) => {
    let chosen = start;
    for (let k = 0; k < side * side; k++) if (sum(k) < sum(chosen)) chosen = k;
    return chosen;
  };
  const overall = best((k) => overallSum[k]!, reach * side + reach);
  const sx = new Float64Array(tiles), sy = new Float64Array(tiles);
  for (let t = 0; t < tiles; t++) {
    const k = near[t]! >= least ? best((k) => tileSum[k * tiles + t]!, overall) : overall;
    [sx[t], sy[t]] = [(k % side) - reach, Math.floor(k / side) - reach];
  }
  // A tile with too few pixels around it (under the middle of a large paint) moves as the tiles around it.
  fillFromNeighbours(sx, sy, Uint8Array.from(near, (n) => (n >= least ? 1 : 0)), cols, rows);
  const field = tileField(sx, sy, cols, rows, tile, width, height);
  return source.map((s, q) => shifted(s, Math.round(field[2 * q]!), Math.round(field[2 * q + 1]!), width, height));
}

/** Pixel `s` moved by (dx, dy), held inside the picture. */
function shifted(s: number, dx: number, dy: number, width: number, height: number): number {
  const x = Math.min(width - 1, Math.max(0, (s % width) + dx));
  const y = Math.min(height - 1, Math.max(0, Math.floor(s / width) + dy));
  return y * width + x;
}
