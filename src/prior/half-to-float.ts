/**
 * Converts IEEE 754 half-precision numbers (little-endian bytes, as TensorFlow Lite stores FLOAT16
 * tensors) to float32, subnormals, infinities and NaN included.
 *
 * @example halfToFloat(new Uint8Array([0x00, 0x3c])); // Float32Array [1]
 * @throws {RangeError} when the byte count is odd.
 */
export function halfToFloat(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`float16 data must have an even byte count, not ${bytes.byteLength}`);
  const out = new Float32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) {
    const h = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 0x1f) out[i] = fraction === 0 ? sign * Infinity : NaN;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}
