import { InvalidOptionError } from '../../../src/pipeline/errors';
import { farthestPoints } from '../../../src/select/farthest-points';

/** 1-D points as embeddings. */
const line = (...xs: number[]) => xs.map((x) => Float32Array.of(x));

describe('farthestPoints', () => {
  // Three clusters: around 0 (six frames), around 10 (three), around 30 (two).
  const points = line(0, 0.1, 0.2, 0.3, 0.1, 0.2, 10, 10.1, 10.2, 30, 30.1);

  it('starts from the frame nearest the mean, then takes the farthest each time', () => {
    // Mean 8.3: frame 6 (10) is nearest; then 30.1 is farthest from it (frame 10), then 0 (frame 0).
    expect(farthestPoints(points, 3)).toEqual([6, 10, 0]);
  });

  it('covers every cluster before taking a second frame of any, unlike even spacing', () => {
    const chosen = farthestPoints(points, 3);
    const clusters = new Set(chosen.map((i) => Math.round(points[i]![0]! / 10)));
    expect(clusters).toEqual(new Set([0, 1, 3]));
  });

  it('adds frames far from the given ones and never repeats them', () => {
    // 30.1 is farthest from 0 and 10; then 0.3 (0.3 from frame 0) beats 30 (0.1 from the new 30.1).
    expect(farthestPoints(points, 2, { given: [0, 6] })).toEqual([10, 3]);
  });

  it('leaves excluded frames out', () => {
    expect(farthestPoints(points, 2, { given: [0], exclude: [9, 10] })).toEqual([8, 3]);
  });

  it('refuses more frames than are left', () => {
    expect(() => farthestPoints(points, 10, { given: [0, 1] })).toThrow(InvalidOptionError);
    expect(() => farthestPoints(points, 10, { given: [0, 1] })).toThrow(
      'Expected at most 9 frames for count (the video has 11 frames, 2 already picked or excluded) but received 10.',
    );
    expect(() => farthestPoints(points, 0)).toThrow('Expected integer between 1 and');
  });
});
