import { createSynthRng, mixSeed } from '../../../../src/data/synth/synth-rng';

describe('createSynthRng', () => {
  it('repeats its draws for a seed and keeps them in range', () => {
    const a = createSynthRng(99);
    const b = createSynthRng(99);
    for (let i = 0; i < 200; i++) {
      const r = a.range(-2, 3);
      expect(r).toBe(b.range(-2, 3));
      expect(r).toBeGreaterThanOrEqual(-2);
      expect(r).toBeLessThan(3);
      const k = a.int(1, 4);
      expect(k).toBe(b.int(1, 4));
      expect([1, 2, 3, 4]).toContain(k);
    }
  });

  it('reaches every integer of a range and draws normals with mean 0 and sd 1', () => {
    const rng = createSynthRng(5);
    const seen = new Set<number>();
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 4000; i++) {
      seen.add(rng.int(0, 5));
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Math.abs(sum / 4000)).toBeLessThan(0.08);
    expect(Math.abs(Math.sqrt(sq / 4000) - 1)).toBeLessThan(0.08);
  });

  it('forks independent streams', () => {
    const rng = createSynthRng(1);
    const f1 = rng.fork();
    const f2 = rng.fork();
    expect(f1.next()).not.toBe(f2.next());
  });
});

describe('mixSeed', () => {
  it('gives distinct seeds for neighbouring inputs and the same seed for the same inputs', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 1000; i++) seeds.add(mixSeed(7, i));
    expect(seeds.size).toBe(1000);
    expect(mixSeed(7, 3)).toBe(mixSeed(7, 3));
    expect(mixSeed(7, 3)).not.toBe(mixSeed(3, 7));
  });
});
