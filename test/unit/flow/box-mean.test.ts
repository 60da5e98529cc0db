import { boxMean, boxMeanAbsDifference } from '../../../src/flow/box-mean';

describe('boxMean', () => {
  it('averages over the box clipped at the borders', () => {
    expect(Array.from(boxMean(Float32Array.of(0, 3, 0), 3, 1, 1))).toEqual([1.5, 1, 1.5]);
    const values = Float32Array.from({ length: 7 * 6 }, (_, i) => (i * 37) % 11 - 5);
    const got = boxMean(values, 7, 6, 2);
    let sum = 0, n = 0;
    for (let y = 0; y <= 4; y++) for (let x = 1; x <= 5; x++) (sum += values[y * 7 + x]!), n++;
    expect(got[2 * 7 + 3]).toBeCloseTo(sum / n, 5);
  });

  it('averages the absolute difference of two planes the same way', () => {
    expect(Array.from(boxMeanAbsDifference(Uint8Array.of(0, 3, 0), Uint8Array.of(0, 0, 0), 3, 1, 1))).toEqual([1.5, 1, 1.5]);
    expect(Array.from(boxMeanAbsDifference(Uint8Array.of(5, 0, 9), Uint8Array.of(9, 0, 5), 3, 1, 0))).toEqual([4, 0, 4]);
  });
});
