/**
 * Synthetic training pairs for the engine tests: coloured discs on gradients (input) and the same
 * discs on white (target), the background-erase edit vidgan learns, at any size.
 */
export interface Pairs {
  inputs: Uint8Array;
  targets: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** `count` pairs of `height` x `width` frames; disc position and colours vary per frame. */
export function discPairs(count: number, height: number, width: number): Pairs {
  const inputs = new Uint8Array(count * height * width * 3);
  const targets = new Uint8Array(inputs.length);
  for (let n = 0; n < count; n++) {
    const cy = height / 2;
    const cx = width / 3 + n * 5;
    const r2 = (Math.min(height, width) / 4) ** 2;
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const o = ((n * height + i) * width + j) * 3;
        const inside = (i - cy) ** 2 + (j - cx) ** 2 < r2;
        const rgb = inside ? [200, 60, 40] : [30 + n * 20, 90, (140 + 2 * j) % 256];
        inputs.set(rgb, o);
        targets.set(inside ? rgb : [255, 255, 255], o);
      }
    }
  }
  return { inputs, targets, count, height, width };
}

/** Mean absolute difference of two byte arrays, in grey levels. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}
