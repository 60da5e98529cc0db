import { randomForStep, seededRandom } from '../../../src/data/random';

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
  });

  it('is uniform in [0, 1)', () => {
    const random = seededRandom(1);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      bins[Math.floor(x * 10)]++;
    }
    for (const n of bins) expect(Math.abs(n - 10000)).toBeLessThan(400);
  });
});

describe('randomForStep', () => {
  it('gives each step its own reproducible stream', () => {
    expect(randomForStep(7, 3)()).toBe(randomForStep(7, 3)());
    expect(randomForStep(7, 3)()).not.toBe(randomForStep(7, 4)());
    expect(randomForStep(7, 3)()).not.toBe(randomForStep(8, 3)());
  });
});
