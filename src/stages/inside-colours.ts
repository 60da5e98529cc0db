/** Alpha from which a pixel counts as the subject's inside, whose colour its soft edges borrow (0 … 255). */
export const INSIDE_ALPHA = 230;

/**
 * For every pixel, the mean colour of the subject's inside (alpha ≥ {@link INSIDE_ALPHA}) within about
 * `radius` pixels (two box blurs of `radius`), as three floats a pixel; NaN where no inside pixel is
 * near. Soft edges borrow it ({@link decontaminateEdges}, {@link trimWhiteEdges}).
 *
 * @example
 * const inside = insideColours(fg, alpha, 400, 400, 6); // inside[p * 3] is the red near pixel p
 * @throws {RangeError} when the planes' sizes disagree with `width * height`.
 */
export function insideColours(fg: Uint8Array, alpha: Uint8Array, width: number, height: number, radius: number): Float32Array {
  const pixels = width * height;
  if (alpha.length !== pixels || fg.length !== pixels * 3) {
    throw new RangeError(`Expected ${pixels} alpha and ${pixels * 3} colour bytes for ${width}x${height} but got ${alpha.length} and ${fg.length}`);
  }
  // Planes r·w, g·w, b·w and w, where w marks the inside; blurred, their ratio is the inside colour near each pixel.
  const planes = [0, 1, 2, 3].map(() => new Float32Array(pixels));
  for (let p = 0; p < pixels; p++) {
    if ((alpha[p] as number) < INSIDE_ALPHA) continue;
    for (let c = 0; c < 3; c++) planes[c]![p] = fg[p * 3 + c] as number;
    planes[3]![p] = 1;
  }
  for (const plane of planes) blurPlane(plane, width, height, radius, 2);
  const weight = planes[3]!;
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const w = weight[p] as number;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = w < 1e-3 ? Number.NaN : (planes[c]![p] as number) / w;
  }
  return out;
}

/**
 * Box-blurs a `width` x `height` plane in place, `passes` times (two passes approximate a tent, three
 * a Gaussian); samples past the borders count as 0.
 *
 * @example blurPlane(mask, 400, 400, 2, 1);
 */
export function blurPlane(plane: Float32Array, width: number, height: number, radius: number, passes: number): void {
  const scratch = new Float32Array(plane.length);
  for (let pass = 0; pass < passes; pass++) {
    boxBlur(plane, scratch, height, width, radius, width, 1); // rows
    boxBlur(scratch, plane, width, height, radius, 1, width); // columns
  }
}

/** Running-sum box blur along `lines` lines of `length` samples (`step` apart; lines `stride` apart). */
function boxBlur(src: Float32Array, dst: Float32Array, lines: number, length: number, radius: number, stride: number, step: number): void {
  for (let line = 0; line < lines; line++) {
    const base = line * stride;
    let sum = 0;
    for (let i = 0; i <= Math.min(radius, length - 1); i++) sum += src[base + i * step] as number;
    for (let i = 0; i < length; i++) {
      dst[base + i * step] = sum;
      const enter = i + radius + 1;
      const leave = i - radius;
      if (enter < length) sum += src[base + enter * step] as number;
      if (leave >= 0) sum -= src[base + leave * step] as number;
    }
  }
}
