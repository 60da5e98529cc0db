import { tsne } from '../../../src/select/tsne';

/** Three tight clusters of 15 points in 6-D, far apart. */
function clusters(): Float32Array[] {
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  return Array.from({ length: 45 }, (_, i) => Float32Array.from({ length: 6 }, (_, k) => (k === Math.floor(i / 15) ? 10 : 0) + random() * 0.5));
}

describe('tsne', () => {
  it('keeps clusters apart on the map: every point is nearer its own cluster than any other', () => {
    const xy = tsne(clusters(), { iterations: 300 });
    const d = (a: number, b: number) => Math.hypot(xy[a]![0] - xy[b]![0], xy[a]![1] - xy[b]![1]);
    for (let i = 0; i < 45; i++) {
      const own = Math.max(...Array.from({ length: 15 }, (_, k) => d(i, Math.floor(i / 15) * 15 + k)));
      const other = Math.min(...Array.from({ length: 45 }, (_, j) => (Math.floor(j / 15) === Math.floor(i / 15) ? Infinity : d(i, j))));
      expect(own).toBeLessThan(other);
    }
  });

  it('is deterministic for a seed', () => {
    expect(tsne(clusters(), { iterations: 50, seed: 4 })).toEqual(tsne(clusters(), { iterations: 50, seed: 4 }));
  });

  it('handles none, one and two points', () => {
    expect(tsne([])).toEqual([]);
    expect(tsne([Float32Array.of(1)])).toEqual([[0, 0]]);
    expect(tsne([Float32Array.of(0), Float32Array.of(1)], { iterations: 20 })).toHaveLength(2);
  });
});
