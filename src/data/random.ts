/**
 * A seeded pseudo-random source: mulberry32, 32 bits of state, uniform in [0, 1). Enough for
 * augmentation and procedural data, and identical on every platform, so runs are reproducible.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, every time
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random source for one step of a run, derived from the run's seed and the step number, so that
 * a resumed run draws exactly what an uninterrupted one would have drawn at that step.
 *
 * @example
 * const random = randomForStep(7, 120);
 */
export function randomForStep(seed: number, step: number): () => number {
  // Mix seed and step through one mulberry32 round so that neighbouring steps are uncorrelated.
  const mixed = seededRandom((seed ^ Math.imul(step + 1, 0x9e3779b1)) >>> 0)();
  return seededRandom(Math.floor(mixed * 4294967296));
}
