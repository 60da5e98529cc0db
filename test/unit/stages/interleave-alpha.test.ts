import { makeFrame } from '../../../src/pipeline/frame';
import { interleaveAlpha } from '../../../src/stages/interleave-alpha';

describe('interleaveAlpha', () => {
  const rgb = new Uint8Array([1, 2, 3, 4, 5, 6]);

  it('interleaves the alpha plane after each pixel', () => {
    const frame = { ...makeFrame(0, 0, 2, 1, rgb), alpha: new Uint8Array([0, 200]) };
    expect([...interleaveAlpha(frame)]).toEqual([1, 2, 3, 0, 4, 5, 6, 200]);
  });

  it('makes a frame without alpha fully opaque', () => {
    expect([...interleaveAlpha(makeFrame(0, 0, 2, 1, rgb))]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });

  it('refuses an alpha plane of the wrong size', () => {
    const frame = { ...makeFrame(7, 0, 2, 1, rgb), alpha: new Uint8Array(3) };
    expect(() => interleaveAlpha(frame)).toThrow(new RangeError('Frame 7: expected 2 alpha bytes for 2x1 but got 3'));
  });
});
