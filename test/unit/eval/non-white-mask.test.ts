import { InvalidOptionError } from '../../../src/pipeline/errors';
import { nonWhiteMask } from '../../../src/eval/non-white-mask';

/** A 2x2 RGB image from four [r, g, b] pixels. */
function rgb(...pixels: [number, number, number][]): Uint8Array {
  return Uint8Array.from(pixels.flat());
}

describe('nonWhiteMask', () => {
  it('marks pixels with a channel darker than 255 - tolerance (default 24)', () => {
    const image = rgb([255, 255, 255], [255, 240, 255], [230, 255, 255], [0, 0, 0]);
    expect(Array.from(nonWhiteMask(image, 2, 2))).toEqual([0, 0, 255, 255]);
  });

  it('takes the tolerance as an option', () => {
    const image = rgb([255, 255, 255], [255, 240, 255], [230, 255, 255], [0, 0, 0]);
    expect(Array.from(nonWhiteMask(image, 2, 2, { tolerance: 10 }))).toEqual([0, 255, 255, 255]);
    expect(Array.from(nonWhiteMask(image, 2, 2, { tolerance: 0 }))).toEqual([0, 255, 255, 255]);
    expect(Array.from(nonWhiteMask(image, 2, 2, { tolerance: 25 }))).toEqual([0, 0, 0, 255]);
  });

  it('rejects a bad tolerance and a wrong size', () => {
    const image = new Uint8Array(12);
    expect(() => nonWhiteMask(image, 2, 2, { tolerance: 300 })).toThrow(
      'Expected integer between 0 and 254 for nonWhiteMask.tolerance but received 300',
    );
    expect(() => nonWhiteMask(image, 3, 2)).toThrow(InvalidOptionError);
  });
});
