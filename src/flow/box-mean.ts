/**
 * The mean of `values` (`width * height`) over a (2r+1) x (2r+1) box around each pixel, clipped at
 * the borders; separable running sums, O(pixels) whatever `r`.
 *
 * @example boxMean(Float32Array.of(0, 3, 0), 3, 1, 1) // [1.5, 1, 1.5]
 */
export function boxMean(values: Float32Array, width: number, height: number, r: number): Float32Array {
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let x = 0; x < Math.min(r, width); x++) sum += values[row + x]!;
    for (let x = 0; x < width; x++) {
      if (x + r < width) sum += values[row + x + r]!;
      if (x - r - 1 >= 0) sum -= values[row + x - r - 1]!;
      rows[row + x] = sum / (Math.min(width - 1, x + r) - Math.max(0, x - r) + 1);
    }
  }
  const out = new Float32Array(width * height);
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = 0; y < Math.min(r, height); y++) sum += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      if (y + r < height) sum += rows[(y + r) * width + x]!;
      if (y - r - 1 >= 0) sum -= rows[(y - r - 1) * width + x]!;
      out[y * width + x] = sum / (Math.min(height - 1, y + r) - Math.max(0, y - r) + 1);
    }
  }
  return out;
}

/**
 * |a - b| averaged over a (2r+1) x (2r+1) box clipped at the borders: how far two planes (a frame and
 * another carried onto it by a flow) differ around each pixel.
 *
 * @example boxMeanAbsDifference(Uint8Array.of(0, 3, 0), Uint8Array.of(0, 0, 0), 3, 1, 1) // [1.5, 1, 1.5]
 */
export function boxMeanAbsDifference(a: Uint8Array, b: Uint8Array, width: number, height: number, r: number): Float32Array {
  const difference = new Float32Array(width * height);
  for (let i = 0; i < difference.length; i++) difference[i] = Math.abs(a[i]! - b[i]!);
  return boxMean(difference, width, height, r);
}
