import { InvalidOptionError } from '../../../src/pipeline/errors';
import { l1 } from '../../../src/eval/l1';

/** A 2x2 RGB image from four [r, g, b] pixels. */
function rgb(...pixels: [number, number, number][]): Uint8Array {
  return Uint8Array.from(pixels.flat());
}

describe('l1', () => {
  it('is the mean absolute difference scaled to [0, 1]', () => {
    const black = new Uint8Array(12);
    const oneRed = rgb([255, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]);
    expect(l1(black, oneRed)).toBeCloseTo(1 / 12, 12);
    expect(l1(rgb([10, 20, 30], [0, 0, 0], [0, 0, 0], [0, 0, 0]), black)).toBeCloseTo(60 / (255 * 12), 12);
    expect(l1(oneRed, oneRed)).toBe(0);
    expect(l1(black, new Uint8Array(12).fill(255))).toBe(1);
  });

  it('rejects buffers of different lengths with a coded error', () => {
    expect(() => l1(new Uint8Array(12), new Uint8Array(9))).toThrow(InvalidOptionError);
    expect(() => l1(new Uint8Array(12), new Uint8Array(9))).toThrow(
      /Expected l1 to compare buffers of equal length but received 12 and 9 bytes/,
    );
    expect(() => l1(new Uint8Array(0), new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/non-empty/) }),
    );
  });
});
