import { InvalidOptionError } from '../pipeline/errors';

/** The per-pixel median of sampled frames, and how many samples agree with it. */
export interface MedianPlate {
  readonly width: number;
  readonly height: number;
  /** Packed RGB24, the per-channel median of the samples. */
  readonly rgb: Uint8Array;
  /** Per pixel, the share of samples within `tolerance` of the median (every channel), 0..255. */
  readonly agreement: Uint8Array;
}

/**
 * The median background of a video seen by a still camera: per pixel and channel, the median of the
 * samples, so that anything passing in front of the background for less than half the samples
 * vanishes. `agreement` says how steady each pixel is: near 255 on a background nothing crosses,
 * lower where the person sways or the camera moves.
 *
 * @example const median = medianPlate(samples.map((f) => f.data), 400, 400);
 * @throws {InvalidOptionError} with no samples or a sample of another size.
 */
export function medianPlate(samples: readonly Uint8Array[], width: number, height: number, tolerance = 20): MedianPlate {
  const n = samples.length;
  const pixels = width * height;
  if (n === 0) throw new InvalidOptionError('Expected at least one sample frame for the background plate but received none.');
  for (const s of samples) {
    if (s.length !== pixels * 3) throw new InvalidOptionError(`Expected ${pixels * 3} bytes (${width}x${height} RGB) for each plate sample but received ${s.length}.`);
  }
  const rgb = new Uint8Array(pixels * 3);
  const agreement = new Uint8Array(pixels);
  const values = new Uint8Array(n);
  for (let i = 0; i < pixels * 3; i++) {
    for (let k = 0; k < n; k++) values[k] = samples[k]![i]!;
    values.sort();
    rgb[i] = values[n >> 1]!;
  }
  for (let p = 0, j = 0; p < pixels; p++, j += 3) {
    let agree = 0;
    for (let k = 0; k < n; k++) {
      const s = samples[k]!;
      if (Math.abs(s[j]! - rgb[j]!) <= tolerance && Math.abs(s[j + 1]! - rgb[j + 1]!) <= tolerance && Math.abs(s[j + 2]! - rgb[j + 2]!) <= tolerance) agree++;
    }
    agreement[p] = Math.round((255 * agree) / n);
  }
  return { width, height, rgb, agreement };
}
