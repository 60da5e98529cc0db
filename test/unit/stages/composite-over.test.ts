import { compositeOver, foregroundFromWhite } from '../../../src/stages/composite-over';

/** The composite head's white composite of `fg` with alpha `a`, rounded as the engine's output is. */
function overWhite(fg: readonly number[], a: number): number[] {
  return fg.map((v) => Math.round((a * v + (255 - a) * 255) / 255));
}

describe('foregroundFromWhite', () => {
  it('recovers the foreground colour of soft pixels to within rounding, and black where alpha is 0', () => {
    const fg = [30, 120, 200];
    const rgb = new Uint8Array([...overWhite(fg, 128), ...overWhite(fg, 255), 255, 255, 255]);
    const out = foregroundFromWhite(rgb, new Uint8Array([128, 255, 0]));
    [...out.subarray(0, 3)].forEach((v, c) => expect(Math.abs(v - fg[c]!)).toBeLessThanOrEqual(1));
    expect([...out.subarray(3, 6)]).toEqual(fg);
    expect([...out.subarray(6)]).toEqual([0, 0, 0]);
  });

  it('refuses planes of different sizes', () => {
    expect(() => foregroundFromWhite(new Uint8Array(6), new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('compositeOver', () => {
  it('puts a soft dark edge over black with no white in it (the halo a white composite would leave)', () => {
    const fg = [20, 20, 20];
    const alpha = new Uint8Array([64, 128, 192]);
    const white = new Uint8Array([...overWhite(fg, 64), ...overWhite(fg, 128), ...overWhite(fg, 192)]);
    const out = compositeOver(foregroundFromWhite(white, alpha), alpha, [0, 0, 0]);
    for (let p = 0; p < 3; p++) {
      const expected = Math.round(((alpha[p] as number) * 20) / 255);
      for (let c = 0; c < 3; c++) expect(Math.abs((out[p * 3 + c] as number) - expected)).toBeLessThanOrEqual(1);
    }
    // Compositing the white frame itself instead gives a bright rim: 127 at half alpha, not 10.
    expect(Math.round((128 * (white[3] as number)) / 255)).toBeGreaterThan(60);
  });

  it('takes each pixel of a background plane', () => {
    const out = compositeOver(new Uint8Array([200, 0, 0, 200, 0, 0]), new Uint8Array([255, 0]), new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect([...out]).toEqual([200, 0, 0, 4, 5, 6]);
  });

  it('refuses a background plane of another size', () => {
    expect(() => compositeOver(new Uint8Array(6), new Uint8Array(2), new Uint8Array(3))).toThrow(/6-byte RGB background plane but got 3/);
  });
});
