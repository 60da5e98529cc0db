import { blendedMismatch, doubtWhereMismatched } from '../../../src/flow/doubt';

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

describe('blendedMismatch', () => {
  it("weights the two sides' mismatches as their alphas are blended: by distance, and by how well each matches", () => {
    const forward = { alpha: new Uint8Array(3), distance: 2, mismatch: Uint8Array.of(10, 10, 60) };
    const backward = { alpha: new Uint8Array(3), distance: 8, mismatch: Uint8Array.of(10, 30, 0) };
    const blended = blendedMismatch(forward, backward)!;
    expect(blended[0]).toBe(10);
    // The near side (weight 0.8) matches better: the blend stays near its 10.
    expect(blended[1]).toBeGreaterThan(10);
    expect(blended[1]).toBeLessThan(14);
    // The near side mismatches badly: the far side's 0 all but wins.
    expect(blended[2]).toBeLessThan(3);
  });

  it("is one side's own when the other is missing, and unknown when a side has none", () => {
    const m = Uint8Array.of(5);
    expect(blendedMismatch({ alpha: new Uint8Array(1), distance: 1, mismatch: m }, undefined)).toBe(m);
    expect(blendedMismatch({ alpha: new Uint8Array(1), distance: 1, mismatch: m }, { alpha: new Uint8Array(1), distance: 1 })).toBeUndefined();
    expect(blendedMismatch(undefined, undefined)).toBeUndefined();
  });
});
