/**
 * Morphology of binary masks (`width * height` bytes, 0 = off, anything else on), over square boxes
 * of (2r+1) x (2r+1) pixels clipped at the borders, in O(pixels) whatever `r` (running counts).
 * Outputs are 0 or 255.
 */

/** On where any pixel of the box around it is on. */
export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return boxCount(mask, width, height, r, (count) => count > 0);
}

/** On where every pixel of the box around it (within the frame) is on. */
export function erode(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return boxCount(mask, width, height, r, (count, area) => count === area);
}

/** Dilation then erosion: fills holes and gaps narrower than the box. */
export function close(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return erode(dilate(mask, width, height, r), width, height, r);
}

/** The connected components of a mask: each on-pixel's component (-1 where off) and each component's size. */
export interface Components {
  readonly label: Int32Array;
  readonly sizes: readonly number[];
}

/**
 * Labels the connected components of `mask`: 4-connected (edge neighbours), or with `eight` also
 * through corners.
 *
 * @example labelComponents(Uint8Array.of(1, 0, 0, 1), 2, true).sizes // [2]
 */
export function labelComponents(mask: Uint8Array, width: number, eight = false): Components {
  const n = mask.length;
  const label = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!mask[start] || label[start] !== -1) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    label[start] = id;
    stack[top++] = start;
    while (top > 0) {
      const q = stack[--top]!;
      size++;
      const x = q % width;
      const left = x > 0, right = x < width - 1;
      // Edge neighbours, then (with `eight`) corners: each pushed once, when first labelled.
      for (let k = 0; k < (eight ? 8 : 4); k++) {
        let m: number;
        switch (k) {
          case 0: m = left ? q - 1 : -1; break;
          case 1: m = right ? q + 1 : -1; break;
          case 2: m = q - width; break;
          case 3: m = q + width; break;
          case 4: m = left ? q - width - 1 : -1; break;
          case 5: m = left ? q + width - 1 : -1; break;
          case 6: m = right ? q - width + 1 : -1; break;
          default: m = right ? q + width + 1 : -1;
        }
        if (m < 0 || m >= n || !mask[m] || label[m] !== -1) continue;
        label[m] = id;
        stack[top++] = m;
      }
    }
    sizes.push(size);
  }
  return { label, sizes };
}

/**
 * Keeps the 4-connected components of `mask` of at least `share` of the largest one's size, in place;
 * returns how many pixels are left on.
 */
export function keepLargeComponents(mask: Uint8Array, width: number, share: number): number {
  const { label, sizes } = labelComponents(mask, width);
  let largest = 0;
  for (const size of sizes) largest = Math.max(largest, size);
  const least = share * largest;
  let left = 0;
  for (let q = 0; q < mask.length; q++) {
    if (!mask[q]) continue;
    if (sizes[label[q]!]! < least) mask[q] = 0;
    else left++;
  }
  return left;
}

/** How many on-pixels each clipped box holds, turned into 0/255 by `keep(count, boxArea)`. */
function boxCount(mask: Uint8Array, width: number, height: number, r: number, keep: (count: number, area: number) => boolean): Uint8Array {
  if (r <= 0) return mask.map((v) => (v ? 255 : 0));
  const rows = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let x = 0; x < Math.min(r, width); x++) if (mask[row + x]) sum++;
    for (let x = 0; x < width; x++) {
      if (x + r < width && mask[row + x + r]) sum++;
      if (x - r - 1 >= 0 && mask[row + x - r - 1]) sum--;
      rows[row + x] = sum;
    }
  }
  const out = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    const across = Math.min(width - 1, x + r) - Math.max(0, x - r) + 1;
    let sum = 0;
    for (let y = 0; y < Math.min(r, height); y++) sum += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      if (y + r < height) sum += rows[(y + r) * width + x]!;
      if (y - r - 1 >= 0) sum -= rows[(y - r - 1) * width + x]!;
      const down = Math.min(height - 1, y + r) - Math.max(0, y - r) + 1;
      if (keep(sum, across * down)) out[y * width + x] = 255;
    }
  }
  return out;
}
