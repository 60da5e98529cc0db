import { maskChange } from '../../../src/eval/mask-change';

describe('maskChange', () => {
  it('is the fraction of pixels that flip', () => {
    const prev = Uint8Array.from([255, 255, 0, 0, 0, 0, 0, 0, 0]);
    const next = Uint8Array.from([255, 0, 255, 0, 0, 0, 0, 0, 0]);
    expect(maskChange(prev, next)).toBeCloseTo(2 / 9, 12);
    expect(maskChange(prev, prev)).toBe(0);
  });
});
