import { maskIoU } from '../../../src/eval/mask-iou';

describe('maskIoU', () => {
  it('is intersection over union of the foreground', () => {
    expect(maskIoU(Uint8Array.from([255, 255, 0, 0]), Uint8Array.from([255, 0, 255, 0]))).toBeCloseTo(1 / 3, 12);
    const a = Uint8Array.from([255, 255, 255, 0, 0, 0, 0, 0, 0]);
    const b = Uint8Array.from([0, 255, 255, 255, 0, 0, 0, 0, 0]);
    expect(maskIoU(a, b)).toBeCloseTo(2 / 4, 12);
    expect(maskIoU(a, a)).toBe(1);
  });

  it('reads soft masks from 128 up as foreground', () => {
    expect(maskIoU(Uint8Array.from([200, 127, 128, 0]), Uint8Array.from([255, 0, 255, 0]))).toBe(1);
  });

  it('scores two empty masks 1 and an empty against a full mask 0', () => {
    expect(maskIoU(new Uint8Array(4), new Uint8Array(4))).toBe(1);
    expect(maskIoU(new Uint8Array(4), new Uint8Array(4).fill(255))).toBe(0);
  });
});
