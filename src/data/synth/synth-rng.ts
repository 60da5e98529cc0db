import { seededRandom } from '../random';

/**
 * A seeded random source with the draws the synthetic data generator needs. Built on mulberry32
 * ({@link seededRandom}), so every sample is reproducible from its seed on every platform.
 */
export interface SynthRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of `items`, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /**
   * A new independent source seeded from this one: parts of a sample draw from their own fork, so
   * changing how many draws one part makes does not change the others.
   */
  fork(): SynthRng;
}

/**
 * Creates a {@link SynthRng} from a 32-bit seed.
 *
 * @example
 * const rng = createSynthRng(7);
 * rng.range(0.2, 0.8); // the same number for seed 7, every time
 */
export function createSynthRng(seed: number): SynthRng {
  const next = seededRandom(seed >>> 0);
  const rng: SynthRng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    fork: () => createSynthRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}

/**
 * Mixes several integers into one 32-bit seed (for example a scene seed and a frame index), so that
 * neighbouring inputs give unrelated seeds.
 *
 * @example
 * createSynthRng(mixSeed(sceneSeed, frameIndex));
 */
export function mixSeed(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
  }
  return h >>> 0;
}
