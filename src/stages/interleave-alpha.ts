import type { Frame } from '../pipeline/frame';

/**
 * Packs a frame as RGBA for an encoder that keeps alpha: its RGB with `frame.alpha` interleaved, or
 * fully opaque (255) when the frame has no alpha plane.
 *
 * @example
 * interleaveAlpha(frame).length === frame.width * frame.height * 4; // true
 * @throws {RangeError} when `frame.alpha` is not `width * height` bytes.
 */
export function interleaveAlpha(frame: Frame): Uint8Array {
  const pixels = frame.width * frame.height;
  const { data, alpha } = frame;
  if (alpha !== undefined && alpha.length !== pixels) {
    throw new RangeError(`Frame ${frame.index}: expected ${pixels} alpha bytes for ${frame.width}x${frame.height} but got ${alpha.length}`);
  }
  const rgba = new Uint8Array(pixels * 4);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 3, o += 4) {
    rgba[o] = data[i] as number;
    rgba[o + 1] = data[i + 1] as number;
    rgba[o + 2] = data[i + 2] as number;
    rgba[o + 3] = alpha === undefined ? 255 : (alpha[p] as number);
  }
  return rgba;
}
