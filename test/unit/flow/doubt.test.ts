import { doubtWhereMismatched } from '../../../src/flow/doubt';

describe('doubtWhereMismatched', () => {
  it('keeps an alpha whose picture matches, pulls it at most half way to 128 where it does not, and never across 128', () => {
    const alpha = Uint8Array.of(255, 255, 0, 0, 200, 128, 129, 127);
    const mismatch = Uint8Array.of(0, 255, 0, 80, 255, 255, 255, 255);
    // 0.5 + 0.5 exp(-(80/80)^2) = 0.684 of 128 from 128 is 87.5 -> 88 below it.
    expect([...doubtWhereMismatched(alpha, mismatch)]).toEqual([255, 192, 0, 40, 164, 128, 129, 127]);
  });

  it('leaves an alpha without a mismatch plane as it is', () => {
    const alpha = Uint8Array.of(0, 255);
    expect(doubtWhereMismatched(alpha, undefined)).toBe(alpha);
  });
});
