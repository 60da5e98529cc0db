import { fillFromNeighbours, tileField } from './tile-field';

/** Options of {@link shiftToFit}. */
export interface ShiftToFitOptions {
  /** The side (px) of the tiles that each take their own shift; each is fitted over its surroundings, the tile widened by half a side on each side. Default 40. */
  readonly tile?: number;
  /** The largest shift tried (px, each way). Default 3. */
  readonly reach?: number;
  /** A tile takes its own shift only when this many of the pixels to fit lie in its surroundings; the others take their neighbours' ({@link fillFromNeighbours}), and when no tile has that many, all take the overall shift. Default 400. */
  readonly least?: number;
}

/**
 * Moves a mapping from frame pixels to picture pixels by the whole-pixel shifts that make the picture
 * fit the frame best on the pixels `fit` lists.
 *
 * `source[q]` is the pixel of `picture` that frame pixel q shows (RGB24 both). The fit of a shift is the
 * mean over the `fit` pixels of the largest channel's difference. One shift is fitted over all of them
 * (the overall shift), then one for each `tile` with at least `least` of them in its surroundings (the
 * tile widened by half a side on each side), starting from the overall shift. The other tiles take
 * their neighbours' shifts, and the shifts are interpolated bilinearly between tile centres. A shift is
 * taken only when it fits strictly better than the one it starts from, so a plain tile, where every
 * shift fits alike, keeps the shift it starts from. A new array; `source` is not changed.
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
  // A tile's surroundings are the tile widened by half a side on each side: a pixel lies in those of
  // two columns and two rows of tiles (one at the edges).
  const within = (v: number, count: number): [number, number] => {
    const last = Math.floor(v / tile + 0.5);
    return [Math.max(0, last - 1), Math.min(count - 1, last)];
  };
  const near = new Int32Array(tiles);
  // Each pixel's place in the picture, and the tiles whose surroundings it lies in (up to 4, -1 for none).
  const fromX = new Int32Array(fit.length), fromY = new Int32Array(fit.length), within4 = new Int32Array(4 * fit.length).fill(-1);
  fit.forEach((q, i) => {
    [fromX[i], fromY[i]] = [source[q]! % width, Math.floor(source[q]! / width)];
    const [c0, c1] = within(q % width, cols), [r0, r1] = within(Math.floor(q / width), rows);
    let n = 0;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        within4[4 * i + n++] = r * cols + c;
        near[r * cols + c]!++;
      }
    }
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
  // The first shift in order (dy, then dx, from -reach) that fits best, taken only when strictly
  // better than `start` (an index into the sums).
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
  // A tile with too few pixels in its surroundings (under the middle of a large paint) moves as the tiles around it.
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
