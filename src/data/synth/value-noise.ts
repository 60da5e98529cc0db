import type { SynthRng } from './synth-rng';

/**
 * Smooth 2-D value noise (random values on an integer lattice, smoothstep-interpolated) and its fractal
 * sum. Used for every texture of the synthetic data: walls, cloth, hair, skin blotches, ragged edges.
 */
export class ValueNoise {
  private readonly perm = new Uint8Array(512);
  private readonly values = new Float32Array(256);

  /** Draws the lattice from `rng`. */
  constructor(rng: SynthRng) {
    const p = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      p[i] = i;
      this.values[i] = rng.next();
    }
    for (let i = 255; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    for (let i = 0; i < 512; i++) this.perm[i] = p[i & 255];
  }

  /**
   * Noise in [0, 1] at (x, y), in lattice units (one random value per unit square).
   *
   * @example
   * new ValueNoise(rng).sample(3.2, 7.9);
   */
  sample(x: number, y: number): number {
    const fx = Math.floor(x);
    const fy = Math.floor(y);
    const tx = x - fx;
    const ty = y - fy;
    const ix = fx & 255;
    const iy = fy & 255;
    const perm = this.perm;
    const v = this.values;
    const a = perm[ix] + iy;
    const b = perm[ix + 1] + iy;
    const v00 = v[perm[a]];
    const v10 = v[perm[b]];
    const v01 = v[perm[a + 1]];
    const v11 = v[perm[b + 1]];
    const sx = tx * tx * (3 - 2 * tx);
    const sy = ty * ty * (3 - 2 * ty);
    const top = v00 + (v10 - v00) * sx;
    const bottom = v01 + (v11 - v01) * sx;
    return top + (bottom - top) * sy;
  }

  /**
   * Fractal sum of `octaves` layers, each at twice the frequency and `gain` times the amplitude of the
   * one before, normalised to [0, 1].
   *
   * @example
   * noise.fractal(x / 40, y / 40, 4, 0.5);
   */
  fractal(x: number, y: number, octaves: number, gain = 0.5): number {
    let sum = 0;
    let amp = 1;
    let norm = 0;
    let f = 1;
    for (let o = 0; o < octaves; o++) {
      // Offset each octave so that lattice points of different octaves do not line up.
      sum += amp * this.sample(x * f + o * 17.31, y * f + o * 9.77);
      norm += amp;
      amp *= gain;
      f *= 2;
    }
    return sum / norm;
  }
}

/**
 * A `width` x `height` field of {@link ValueNoise.fractal} with lattice cells of `cellPx` pixels,
 * evaluated on a coarser grid where the finest octave is still smooth there and bilinearly
 * interpolated in between (much cheaper than evaluating every pixel, the same look).
 *
 * @example
 * const field = noiseField(noise, 400, 400, 60, 3);
 */
export function noiseField(noise: ValueNoise, width: number, height: number, cellPx: number, octaves: number, stretchY = 1): Float32Array {
  const finest = cellPx / 2 ** (octaves - 1);
  const step = Math.max(1, Math.min(8, Math.floor(finest / 3)));
  const gw = Math.ceil(width / step) + 2;
  const gh = Math.ceil(height / step) + 2;
  const grid = new Float32Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) grid[gy * gw + gx] = noise.fractal((gx * step) / cellPx, ((gy * step) / cellPx) * stretchY, octaves);
  }
  const out = new Float32Array(width * height);
  const inv = 1 / step;
  for (let y = 0; y < height; y++) {
    const fy = y * inv;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = x * inv;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const i = y0 * gw + x0;
      const top = grid[i] + (grid[i + 1] - grid[i]) * tx;
      const bottom = grid[i + gw] + (grid[i + gw + 1] - grid[i + gw]) * tx;
      out[y * width + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}
