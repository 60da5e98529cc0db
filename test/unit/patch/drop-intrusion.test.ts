import { intrusionPixels } from '../../../src/patch/drop-intrusion';

const W = 40, H = 30;
const SKIN: [number, number, number] = [200, 150, 120];
/** The border pixels for which `at(x, y)` holds, 255. */
const border = (at: (x: number, y: number) => boolean) =>
  Uint8Array.from({ length: W * H }, (_, q) => {
    const x = q % W, y = Math.floor(q / W);
    return (x === 0 || y === 0 || x === W - 1 || y === H - 1) && at(x, y) ? 255 : 0;
  });
/** The fingers' colour, coming in anywhere. */
const intrusion = { intrusion: { mean: SKIN, tolerance: 20 }, entry: border(() => true) } as const;

/** A frame (input RGB, output alpha) with a speaker block in the middle and `blobs` of the given colour and alpha. */
function scene(blobs: { x0: number; y0: number; x1: number; y1: number; colour: readonly number[]; alpha?: number }[]) {
  const input = new Uint8Array(W * H * 3).fill(90), alpha = new Uint8Array(W * H);
  const fill = (x0: number, y0: number, x1: number, y1: number, colour: readonly number[], a: number) => {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        input.set(colour, 3 * (y * W + x));
        alpha[y * W + x] = a;
      }
    }
  };
  fill(15, 5, 30, 30, [40, 40, 60], 255);
  for (const b of blobs) fill(b.x0, b.y0, b.x1, b.y1, b.colour, b.alpha ?? 255);
  return { input, alpha };
}
const count = (mask: Uint8Array | undefined) => (mask === undefined ? 0 : mask.reduce((n, v) => n + (v ? 1 : 0), 0));

describe('intrusionPixels', () => {
  it("marks a region apart from the subject that comes in by the frame's edge with the intrusion's colour, and its soft outline", () => {
    const { input, alpha } = scene([{ x0: 0, y0: 22, x1: 6, y1: 30, colour: [205, 145, 125] }, { x0: 6, y0: 22, x1: 8, y1: 30, colour: [205, 145, 125], alpha: 60 }]);
    const out = intrusionPixels(input, alpha, intrusion, W, H)!;
    expect(count(out)).toBe(8 * 8);
    expect(out[25 * W + 0]).toBe(255);
    expect(out[25 * W + 7]).toBe(255);
    expect(out[25 * W + 20]).toBe(0);
  });

  it("leaves a region of the intrusion's colour that does not reach the frame's edge (the speaker's own hand)", () => {
    const { input, alpha } = scene([{ x0: 3, y0: 10, x1: 9, y1: 16, colour: SKIN }]);
    expect(intrusionPixels(input, alpha, intrusion, W, H)).toBeUndefined();
  });

  it("leaves a region at the edge of another colour (an object the edits keep)", () => {
    const { input, alpha } = scene([{ x0: 0, y0: 22, x1: 6, y1: 30, colour: [30, 160, 40] }]);
    expect(intrusionPixels(input, alpha, intrusion, W, H)).toBeUndefined();
  });

  it('never marks the largest region, whatever its colour', () => {
    // A speaker of the fingers' colour at the bottom edge, and fingers at the left edge: only the fingers go.
    const { input, alpha } = scene([{ x0: 15, y0: 5, x1: 30, y1: 30, colour: SKIN }, { x0: 0, y0: 10, x1: 5, y1: 14, colour: SKIN }]);
    const out = intrusionPixels(input, alpha, intrusion, W, H)!;
    expect(count(out)).toBe(5 * 4);
    expect(out[12 * W + 0]).toBe(255);
  });

  it('marks a region that reaches the top or the right edge alone', () => {
    const top = scene([{ x0: 2, y0: 0, x1: 8, y1: 4, colour: SKIN }]);
    expect(count(intrusionPixels(top.input, top.alpha, intrusion, W, H))).toBe(6 * 4);
    const right = scene([{ x0: 34, y0: 2, x1: 40, y1: 6, colour: SKIN }]);
    expect(count(intrusionPixels(right.input, right.alpha, intrusion, W, H))).toBe(6 * 4);
  });

  it("marks only a region that reaches the border where the pick's fingers came in (entry)", () => {
    const { input, alpha } = scene([{ x0: 0, y0: 22, x1: 6, y1: 30, colour: SKIN }, { x0: 2, y0: 0, x1: 8, y1: 4, colour: SKIN }]);
    const fromBelow = { ...intrusion, entry: border((x, y) => y === H - 1 && x < 10) };
    const out = intrusionPixels(input, alpha, fromBelow, W, H)!;
    expect(count(out)).toBe(6 * 8);
    expect(out[25 * W + 2]).toBe(255);
    expect(out[2 * W + 4]).toBe(0);
    expect(intrusionPixels(input, alpha, { ...intrusion, entry: border((x) => x === W - 1) }, W, H)).toBeUndefined();
  });

  it('needs half of the region to have the colour', () => {
    const half = scene([{ x0: 0, y0: 22, x1: 3, y1: 30, colour: SKIN }, { x0: 3, y0: 22, x1: 6, y1: 30, colour: [30, 160, 40] }]);
    expect(count(intrusionPixels(half.input, half.alpha, intrusion, W, H))).toBe(6 * 8);
    const less = scene([{ x0: 0, y0: 22, x1: 2, y1: 30, colour: SKIN }, { x0: 2, y0: 22, x1: 6, y1: 30, colour: [30, 160, 40] }]);
    expect(intrusionPixels(less.input, less.alpha, intrusion, W, H)).toBeUndefined();
  });

  it('leaves the soft alpha near the subject when the region beside it goes', () => {
    // Soft alpha at x 10-14: within 4 px of the region (x ≤ 13) and of the subject (x ≥ 11) at x 11-13;
    // that stays with the subject.
    const { input, alpha } = scene([{ x0: 0, y0: 22, x1: 10, y1: 30, colour: SKIN }, { x0: 10, y0: 22, x1: 15, y1: 30, colour: [90, 90, 90], alpha: 60 }]);
    const out = intrusionPixels(input, alpha, intrusion, W, H)!;
    expect(out[25 * W + 10]).toBe(255);
    expect(out[25 * W + 11]).toBe(0);
    expect(out[25 * W + 13]).toBe(0);
  });
});
