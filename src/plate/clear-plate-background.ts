/**
 * A cleanup after the generator: where the `plate-difference` plane says a patch confidently equals
 * the background plate (at or below `threshold`), the output pixel becomes white (alpha 0).
 *
 * @example const cleaned = clearPlateBackground(output.data, frame.guides['plate-difference']);
 */
export function clearPlateBackground(rgb: Uint8Array, plane: Uint8Array, threshold = 32): Uint8Array {
  const out = new Uint8Array(rgb);
  for (let p = 0; p < plane.length; p++) {
    if (plane[p]! <= threshold) out.fill(255, 3 * p, 3 * p + 3);
  }
  return out;
}
