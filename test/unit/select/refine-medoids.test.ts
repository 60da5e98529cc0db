import { farthestPoints } from '../../../src/select/farthest-points';
import { refineMedoids } from '../../../src/select/refine-medoids';
import { suggestPicks } from '../../../src/select/suggest-picks';

const line = (...xs: number[]) => xs.map((x) => Float32Array.of(x));

describe('refineMedoids', () => {
  // Two groups: 0…4 and 20…22.
  const points = line(0, 1, 2, 3, 4, 20, 21, 22);

  it('moves each chosen frame to the middle of its group', () => {
    expect(farthestPoints(points, 2)).toEqual([4, 7]);
    expect(refineMedoids(points, [4, 7])).toEqual([2, 6]);
  });

  it('keeps fixed frames and leaves excluded ones unchosen', () => {
    expect(refineMedoids(points, [7], { fixed: [0] })).toEqual([6]);
    expect(refineMedoids(points, [4, 7], { exclude: [2, 6] })).toEqual([1, 5]);
  });
});

describe('suggestPicks', () => {
  it('gives every group a frame, central in it, and skips outliers', () => {
    // A shot of 30 frames drifting from 0 to 2.9, a second look of 12 frames at 10…11.1, and two black frames at 100.
    const shot = Array.from({ length: 30 }, (_, i) => i * 0.1);
    const other = Array.from({ length: 12 }, (_, i) => 10 + i * 0.1);
    const points = line(...shot, ...other, 100, 100);
    const { frames, skippedOutliers } = suggestPicks(points, 3);
    expect(skippedOutliers).toEqual([42, 43]);
    expect(frames.filter((f) => f >= 30 && f < 42)).toHaveLength(1);
    expect(frames.filter((f) => f < 30)).toHaveLength(2);
    expect(frames.every((f) => f !== 0 && f !== 29 && f !== 41)).toBe(true);
  });
});
