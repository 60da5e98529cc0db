import { paintIntrusion } from '../../../../src/data/synth/paint-intrusion';

const covered = (alpha: Uint8Array) => alpha.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0);

describe('paintIntrusion', () => {
  const span = { start: 10, span: 40 };

  it('covers nothing before the hand enters and after it leaves', () => {
    expect(covered(paintIntrusion(10, 200, 200, span).alpha)).toBe(0);
    expect(covered(paintIntrusion(50, 200, 200, span).alpha)).toBe(0);
    expect(covered(paintIntrusion(3, 200, 200, span).alpha)).toBe(0);
  });

  it('enters from the lower left and reaches furthest in the middle of its visit', () => {
    const early = paintIntrusion(13, 200, 200, span).alpha;
    const middle = paintIntrusion(30, 200, 200, span).alpha;
    expect(covered(early)).toBeGreaterThan(0);
    expect(covered(middle)).toBeGreaterThan(covered(early));
    expect(middle[199 * 200]).toBe(255); // the bottom-left corner: the arm comes in from outside the frame
    expect(middle[0]).toBe(0); // the top-left corner stays clear
    expect(middle[199]).toBe(0); // the bottom-right corner stays clear
  });

  it('is the same for the same frame and seed, and skin-coloured where it covers', () => {
    const a = paintIntrusion(25, 120, 120, span);
    const b = paintIntrusion(25, 120, 120, span);
    expect(Buffer.from(a.rgb).equals(Buffer.from(b.rgb))).toBe(true);
    const p = a.alpha.findIndex((v) => v === 255);
    expect(a.rgb[p * 3]!).toBeGreaterThan(a.rgb[p * 3 + 2]!); // red over blue
  });
});
