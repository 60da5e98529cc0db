/** Helpers for values held per tile of a grid over the frame (`cols * rows` tiles, row by row). */

/**
 * A value pair per tile (`x`, `y`: `cols * rows` tiles of `tile` px, row by row) spread over every
 * pixel, bilinear between tile centres and held at the outer centres: 2 numbers a pixel (x then y).
 *
 * @example tileField(mx, my, 10, 10, 40, 400, 400)[2 * q] // the x value at pixel q
 */
export function tileField(x: ArrayLike<number>, y: ArrayLike<number>, cols: number, rows: number, tile: number, width: number, height: number): Float64Array {
  const field = new Float64Array(2 * width * height);
  for (let py = 0; py < height; py++) {
    // Tile-centre coordinates of this pixel, clamped at the outer centres.
    const ty = Math.min(rows - 1, Math.max(0, (py + 0.5) / tile - 0.5));
    const r0 = Math.floor(ty), r1 = Math.min(rows - 1, r0 + 1), fy = ty - r0;
    for (let px = 0; px < width; px++) {
      const tx = Math.min(cols - 1, Math.max(0, (px + 0.5) / tile - 0.5));
      const c0 = Math.floor(tx), c1 = Math.min(cols - 1, c0 + 1), fx = tx - c0;
      const a = r0 * cols + c0, b = r0 * cols + c1, c = r1 * cols + c0, d = r1 * cols + c1;
      const q = py * width + px;
      field[2 * q] = (1 - fy) * ((1 - fx) * x[a]! + fx * x[b]!) + fy * ((1 - fx) * x[c]! + fx * x[d]!);
      field[2 * q + 1] = (1 - fy) * ((1 - fx) * y[a]! + fx * y[b]!) + fy * ((1 - fx) * y[c]! + fx * y[d]!);
    }
  }
  return field;
}

/**
 * Tiles with `known` 0 take the mean values of their known neighbours (8 around), ring after ring
 * outward from the known ones; nothing changes when no tile is known. In place.
 *
 * @example fillFromNeighbours(mx, my, known, 10, 10)
 */
export function fillFromNeighbours(mx: Float32Array | Float64Array, my: Float32Array | Float64Array, known: Uint8Array, cols: number, rows: number): void {
  const filled = Uint8Array.from(known);
  for (let changed = known.includes(1); changed; ) {
    const ring: [number, number, number][] = [];
    for (let t = 0; t < cols * rows; t++) {
      if (filled[t]) continue;
      const r = Math.floor(t / cols), c = t % cols;
      let sx = 0, sy = 0, n = 0;
      for (let rr = Math.max(0, r - 1); rr <= Math.min(rows - 1, r + 1); rr++) {
        for (let cc = Math.max(0, c - 1); cc <= Math.min(cols - 1, c + 1); cc++) {
          if (!filled[rr * cols + cc]) continue;
          sx += mx[rr * cols + cc]!;
          sy += my[rr * cols + cc]!;
          n++;
        }
      }
      if (n > 0) ring.push([t, sx / n, sy / n]);
    }
    for (const [t, x, y] of ring) {
      mx[t] = x;
      my[t] = y;
      filled[t] = 1;
    }
    changed = ring.length > 0;
  }
}
