import { frameNumberOf } from '../../../src/eval/frame-number';

describe('frameNumberOf', () => {
  it('reads the last number of the file name, whatever its padding', () => {
    expect(frameNumberOf('000123.png')).toBe(123);
    expect(frameNumberOf('masks/00123.png')).toBe(123);
    expect(frameNumberOf('clip2/frame_7.jpg')).toBe(7);
    expect(frameNumberOf('take2_000040.png')).toBe(40);
  });

  it('ignores digits in folders and returns undefined without a number', () => {
    expect(frameNumberOf('run1/cover.png')).toBeUndefined();
    expect(frameNumberOf('notes')).toBeUndefined();
  });
});
