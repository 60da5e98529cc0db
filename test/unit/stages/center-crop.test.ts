import { lastValueFrom, of, toArray } from 'rxjs';
import { InvalidOptionError } from '../../../src/pipeline/errors';
import { makeFrame, type Frame } from '../../../src/pipeline/frame';
import { centerCrop, cropFrame } from '../../../src/stages/center-crop';

/** A frame whose red channel is x and green channel is y, so positions can be read back. */
function coordinateFrame(width: number, height: number, index = 0): Frame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[(y * width + x) * 3] = x;
      data[(y * width + x) * 3 + 1] = y;
      data[(y * width + x) * 3 + 2] = 7;
    }
  }
  return makeFrame(index, index / 10, width, height, data);
}
const pixel = (f: Frame, x: number, y: number) => [...f.data.subarray((y * f.width + x) * 3, (y * f.width + x) * 3 + 3)];

describe('centerCrop', () => {
  it('keeps the middle square of a larger frame', async () => {
    const [out] = await lastValueFrom(of(coordinateFrame(200, 100, 3)).pipe(centerCrop(50), toArray()));
    expect(out).toMatchObject({ index: 3, timeSec: 0.3, width: 50, height: 50 });
    expect(pixel(out!, 0, 0)).toEqual([75, 25, 7]);
    expect(pixel(out!, 49, 49)).toEqual([124, 74, 7]);
  });

  it('scales a frame smaller than the crop up so its short side fits, then crops the middle', () => {
    const out = cropFrame(coordinateFrame(40, 20), 40);
    expect([out.width, out.height]).toEqual([40, 40]);
    // Scaled 2x to 80x40, cropped at x 20: output x maps back to source x (x + 20 + 0.5) / 2 - 0.5.
    expect(pixel(out, 0, 0)).toEqual([10, 0, 7]);
    expect(pixel(out, 20, 20)).toEqual([20, 10, 7]);
    expect(pixel(out, 39, 39)).toEqual([29, 19, 7]);
  });

  it('returns a frame of the right size unchanged and never mutates its input', () => {
    const square = coordinateFrame(30, 30);
    expect(cropFrame(square, 30)).toBe(square);
    const wide = coordinateFrame(60, 30);
    const before = Buffer.from(wide.data);
    cropFrame(wide, 30);
    expect(Buffer.compare(Buffer.from(wide.data), before)).toBe(0);
  });

  it('rejects a size that is not a positive integer when built', () => {
    expect(() => centerCrop(0)).toThrow(InvalidOptionError);
    expect(() => centerCrop(12.5)).toThrow('Expected integer between 1 and 8192 for crop but received 12.5');
  });
});
