import { blendByDistance, NO_DATA_ALPHA } from '../../../src/flow/blend-by-distance';

describe('blendByDistance', () => {
  it('weights each estimate by the distance to the other pick', () => {
    const out = blendByDistance({ alpha: Uint8Array.of(255, 0), distance: 2 }, { alpha: Uint8Array.of(0, 255), distance: 8 }, 2);
    expect([...out]).toEqual([204, 51]);
  });

  it('passes a lone estimate through', () => {
    const alpha = Uint8Array.of(9, 8);
    expect(blendByDistance(undefined, { alpha, distance: 3 }, 2)).toBe(alpha);
  });

  it('gives no data (128) without any estimate', () => {
    expect([...blendByDistance(undefined, undefined, 3)]).toEqual([NO_DATA_ALPHA, NO_DATA_ALPHA, NO_DATA_ALPHA]);
  });
});
