import { InvalidOptionError } from '../../../src/pipeline/errors';
import { outlierScores } from '../../../src/select/outlier-scores';

/** A shot of 40 frames drifting slowly along x, with a 3-frame cutaway spliced in at 20. */
function shotWithCutaway(): Float32Array[] {
  const frames = Array.from({ length: 40 }, (_, i) => Float32Array.of(i * 0.1, Math.sin(i) * 0.05));
  frames.splice(20, 0, Float32Array.of(50, 50), Float32Array.of(50.1, 50), Float32Array.of(50, 50.1));
  return frames;
}

describe('outlierScores', () => {
  it('flags a short run of foreign frames even though they resemble each other', () => {
    const scores = outlierScores(shotWithCutaway());
    expect(scores.filter((s) => s.outlier).map((s) => s.index)).toEqual([20, 21, 22]);
    expect(Math.min(...scores.slice(20, 23).map((s) => s.score))).toBeGreaterThan(100);
    expect(Math.max(...scores.filter((s) => !s.outlier).map((s) => s.score))).toBeLessThan(3);
  });

  it('is relative to the median, so scaling every embedding changes no score', () => {
    const scaled = shotWithCutaway().map((e) => e.map((v) => v * 7));
    const a = outlierScores(shotWithCutaway()).map((s) => s.score);
    const b = outlierScores(scaled).map((s) => s.score);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 3));
  });

  it('misses a run longer than k: such a run is a shot of its own', () => {
    const frames = shotWithCutaway();
    expect(outlierScores(frames, { k: 2 }).some((s) => s.outlier)).toBe(false);
  });

  it('given picks, scores each frame by its nearest pick', () => {
    const scores = outlierScores(shotWithCutaway(), { picks: [0, 42] });
    expect(scores[0]).toMatchObject({ index: 0, distance: 0, nearestPick: 0, outlier: false });
    expect(scores.map((s) => s.nearestPick).slice(5, 12)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(scores[40]!.nearestPick).toBe(42);
    expect(scores.filter((s) => s.outlier).map((s) => s.index)).toEqual([20, 21, 22]);
    // Midway between the picks is farther from both than next to one.
    expect(scores[19]!.score).toBeGreaterThan(scores[2]!.score);
  });

  it('checks its options', () => {
    expect(() => outlierScores(shotWithCutaway(), { picks: [43] })).toThrow(InvalidOptionError);
    expect(() => outlierScores(shotWithCutaway(), { threshold: -1 })).toThrow('Expected number between 0 and');
    expect(outlierScores([])).toEqual([]);
  });
});
