import { FrameSplitter } from '../../../../src/stages/ffmpeg/frame-splitter';

describe('FrameSplitter', () => {
  it('cuts arbitrary chunks into whole frames, keeping bytes in order', () => {
    const bytes = Uint8Array.from({ length: 30 }, (_, i) => i);
    const splitter = new FrameSplitter(12);
    const frames = [
      ...splitter.push(bytes.subarray(0, 5)),
      ...splitter.push(bytes.subarray(5, 25)),
      ...splitter.push(bytes.subarray(25, 30)),
    ];
    expect(frames.map((f) => [...f])).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    ]);
    expect(splitter.pendingBytes).toBe(6);
  });

  it('returns several frames from one large chunk, each a separate buffer', () => {
    const splitter = new FrameSplitter(3);
    const frames = splitter.push(new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect(frames).toHaveLength(2);
    frames[0]![0] = 9;
    expect(frames[1]![0]).toBe(4);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('rejects a non-positive frame size', () => {
    expect(() => new FrameSplitter(0)).toThrow(RangeError);
  });
});
