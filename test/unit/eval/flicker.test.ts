import { InvalidOptionError } from '../../../src/pipeline/errors';
import { flicker, flickerSeries } from '../../../src/eval/flicker';

const W = 16;
const H = 16;

/** A frame: textured still background with a dark 6x6 square at (x, y). */
function frameWithSquare(x: number, y: number): Uint8Array {
  const out = new Uint8Array(W * H * 3);
  for (let py = 0; py < H; py++) {
    for (let px = 0; px < W; px++) {
      const i = (py * W + px) * 3;
      const inside = px >= x && px < x + 6 && py >= y && py < y + 6;
      const v = inside ? 20 : 150 + ((px * 7 + py * 13) % 60);
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
    }
  }
  return out;
}

function squareMask(x: number, y: number): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let py = y; py < y + 6; py++) for (let px = x; px < x + 6; px++) out[py * W + px] = 255;
  return out;
}

describe('flicker', () => {
  it('counts mask flips over still input, by hand on 2x2', () => {
    const still = new Uint8Array(12).fill(128);
    const masks = [Uint8Array.from([255, 0, 0, 0]), Uint8Array.from([0, 0, 0, 0]), Uint8Array.from([255, 0, 0, 0])];
    expect(flicker(masks, [still, still, still])).toBeCloseTo(0.25, 12);
    // The same flips where the input changed too are explained, not flicker.
    const lit = Uint8Array.from([255, 255, 255, 128, 128, 128, 128, 128, 128, 128, 128, 128]);
    expect(flicker(masks, [still, lit, still])).toBe(0);
  });

  it('is zero for a moving figure whose mask follows it, though the mask changes', () => {
    const positions = [2, 3, 4, 5, 6, 7];
    const inputs = positions.map((p) => frameWithSquare(p, 4));
    const masks = positions.map((p) => squareMask(p, 4));
    const steps = flickerSeries(masks, inputs);
    expect(steps).toHaveLength(5);
    for (const s of steps) {
      expect(s.maskChange).toBeGreaterThan(0);
      expect(s.flicker).toBe(0);
    }
    expect(flicker(masks, inputs)).toBe(0);
  });

  it('is higher for a jittering mask than for a steady one over the same clip', () => {
    const inputs = Array.from({ length: 8 }, () => frameWithSquare(5, 5));
    const steady = inputs.map(() => squareMask(5, 5));
    const jitter = inputs.map((_, t) => squareMask(5 + (t % 2), 5 - (t % 3 === 0 ? 1 : 0)));
    const steadyScore = flicker(steady, inputs);
    const jitterScore = flicker(jitter, inputs);
    expect(steadyScore).toBe(0);
    expect(jitterScore).toBeGreaterThan(0.02);
  });

  it('is 0 for fewer than two frames', () => {
    expect(flicker([], [])).toBe(0);
    expect(flicker([new Uint8Array(4)], [new Uint8Array(12)])).toBe(0);
  });

  it('rejects sequences of different lengths and mismatched sizes', () => {
    expect(() => flicker([new Uint8Array(4)], [])).toThrow(InvalidOptionError);
    expect(() => flicker([new Uint8Array(4)], [])).toThrow(/received 0 frames and 1 masks/);
    expect(() => flicker([new Uint8Array(4), new Uint8Array(4)], [new Uint8Array(12), new Uint8Array(9)])).toThrow(
      /frames 0 and 1/,
    );
  });
});
