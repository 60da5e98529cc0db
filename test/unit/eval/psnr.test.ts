import { psnr } from '../../../src/eval/psnr';

/** A 2x2 RGB image from four [r, g, b] pixels. */
function rgb(...pixels: [number, number, number][]): Uint8Array {
  return Uint8Array.from(pixels.flat());
}

describe('psnr', () => {
  it('is 10 log10(255^2 / MSE)', () => {
    const black = new Uint8Array(12);
    const oneFull = rgb([255, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]);
    // MSE = 255^2 / 12, so PSNR = 10 log10(12).
    expect(psnr(black, oneFull)).toBeCloseTo(10 * Math.log10(12), 10);
    // Every value off by 5: MSE = 25.
    const grey = new Uint8Array(12).fill(100);
    const grey5 = new Uint8Array(12).fill(105);
    expect(psnr(grey, grey5)).toBeCloseTo(10 * Math.log10((255 * 255) / 25), 10);
  });

  it('is Infinity for identical images', () => {
    expect(psnr(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(Infinity);
  });
});
