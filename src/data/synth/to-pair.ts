import type { SynthInfo, SynthPair } from './synth-pair';

/**
 * Quantises a float photo and matte (0–1) into a {@link SynthPair}. The target is built from the
 * quantised matte, so mask 0 gives exactly 255 and mask 255 exactly the input.
 *
 * @example
 * const pair = toPair(photo, alpha, 400, 400, info);
 */
export function toPair(photo: Float32Array, alpha: Float32Array, width: number, height: number, info: SynthInfo): SynthPair {
  const n = width * height;
  const input = new Uint8Array(n * 3);
  const target = new Uint8Array(n * 3);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const m = (alpha[i] * 255 + 0.5) | 0;
    mask[i] = m;
    const a = m / 255;
    for (let c = 0; c < 3; c++) {
      const j = i * 3 + c;
      const v = photo[j] * 255;
      input[j] = (v + 0.5) | 0;
      target[j] = m === 255 ? input[j] : m === 0 ? 255 : (a * v + (1 - a) * 255 + 0.5) | 0;
    }
  }
  return { width, height, input, target, mask, info };
}
