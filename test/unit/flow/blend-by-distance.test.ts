import { blendByDistance, blendWithMismatch, NO_DATA_ALPHA } from '../../../src/flow/blend-by-distance';
import { judgeCarried } from '../../../src/flow/carry-alpha';

describe('blendByDistance', () => {
  it('weights each estimate by the distance to the other pick', () => {
    const out = blendByDistance({ alpha: Uint8Array.of(255, 0), distance: 2 }, { alpha: Uint8Array.of(0, 255), distance: 8 }, 2);
    expect([...out]).toEqual([204, 51]);
  });

  it('with mismatches, trusts per pixel the estimate whose carried picture matches the frame there', () => {
    const forward = { alpha: Uint8Array.of(255, 255, 255), distance: 2, mismatch: Uint8Array.of(0, 60, 30) };
    const backward = { alpha: Uint8Array.of(0, 0, 0), distance: 8, mismatch: Uint8Array.of(0, 0, 30) };
    const out = blendByDistance(forward, backward, 3);
    // Both match: the distance weights alone. The near estimate mismatches: the far one wins.
    // Both mismatch alike: the distance weights again.
    expect(out[0]).toBe(204);
    expect(out[1]).toBeLessThan(16); // 204 by distance alone
    expect(out[2]).toBe(204);
  });

  it('judges a carried grey against the frame: 0 where they agree, the 7x7 mean difference elsewhere', () => {
    const frame = { width: 9, height: 9, data: new Uint8Array(81).fill(100) };
    const grey = new Uint8Array(81).fill(100);
    grey[40] = 149; // one pixel off by 49, in the middle
    const judged = judgeCarried({ alpha: new Uint8Array(81), grey }, frame);
    expect(judged.mismatch![40]).toBe(1); // 49 / 49
    expect(judged.mismatch![0]).toBe(0);
    expect(judgeCarried({ alpha: new Uint8Array(81) }, frame).mismatch).toBeUndefined();
  });

  it('passes a lone estimate through', () => {
    const alpha = Uint8Array.of(9, 8);
    expect(blendByDistance(undefined, { alpha, distance: 3 }, 2)).toBe(alpha);
  });

  it('gives no data (128) without any estimate', () => {
    expect([...blendByDistance(undefined, undefined, 3)]).toEqual([NO_DATA_ALPHA, NO_DATA_ALPHA, NO_DATA_ALPHA]);
  });
});

describe('blendWithMismatch', () => {
  it("weights the two sides' mismatches as their alphas are blended: by distance, and by how well each matches", () => {
    const forward = { alpha: new Uint8Array(3), distance: 2, mismatch: Uint8Array.of(10, 10, 60) };
    const backward = { alpha: new Uint8Array(3), distance: 8, mismatch: Uint8Array.of(10, 30, 0) };
    const blended = blendWithMismatch(forward, backward, 3).mismatch!;
    // The alpha is blendByDistance's.
    expect(blendWithMismatch(forward, backward, 3).alpha).toEqual(blendByDistance(forward, backward, 3));
    expect(blended[0]).toBe(10);
    // The near side (weight 0.8) matches better: the blend stays near its 10.
    expect(blended[1]).toBeGreaterThan(10);
    expect(blended[1]).toBeLessThan(14);
    // The near side mismatches badly: the far side's 0 all but wins.
    expect(blended[2]).toBeLessThan(3);
  });

  it("is one side's own when the other is missing, and unknown when a side has none", () => {
    const m = Uint8Array.of(5);
    expect(blendWithMismatch({ alpha: new Uint8Array(1), distance: 1, mismatch: m }, undefined, 1).mismatch).toBe(m);
    expect(blendWithMismatch({ alpha: new Uint8Array(1), distance: 1, mismatch: m }, { alpha: new Uint8Array(1), distance: 1 }, 1).mismatch).toBeUndefined();
    expect(blendWithMismatch(undefined, undefined, 1).mismatch).toBeUndefined();
  });
});
