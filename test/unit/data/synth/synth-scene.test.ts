import { maskIoU } from '../../../../src/eval/mask-iou';
import { InvalidOptionError } from '../../../../src/pipeline/errors';
import { synthScene } from '../../../../src/data/synth/synth-scene';

const SIZE = { width: 160, height: 160 };

function centroidX(mask: Uint8Array, width: number): number {
  let sx = 0;
  let sum = 0;
  for (let i = 0; i < mask.length; i++) {
    sx += mask[i] * (i % width);
    sum += mask[i];
  }
  return sx / sum;
}

describe('synthScene', () => {
  it('gives the same frame for the same seed and index, in any order', () => {
    const a = synthScene(4, SIZE);
    const b = synthScene(4, SIZE);
    const late = a.frameAt(37);
    a.frameAt(2);
    expect(Buffer.from(b.frameAt(37).input).equals(Buffer.from(late.input))).toBe(true);
    expect(Buffer.from(a.frameAt(37).mask).equals(Buffer.from(late.mask))).toBe(true);
    expect(Buffer.from(synthScene(5, SIZE).frameAt(37).input).equals(Buffer.from(late.input))).toBe(false);
  });

  it('moves the person smoothly over a fixed background', () => {
    const scene = synthScene(8, SIZE);
    const frames = [0, 1, 2, 40, 20, 60, 80].map((i) => scene.frameAt(i));
    // Neighbouring frames (0.1 s apart) overlap almost entirely...
    expect(maskIoU(frames[0].mask, frames[1].mask)).toBeGreaterThan(0.9);
    expect(maskIoU(frames[1].mask, frames[2].mask)).toBeGreaterThan(0.9);
    expect(maskIoU(frames[0].mask, frames[1].mask)).toBeLessThan(1);
    // ...and over seconds the person moves.
    const later = frames.slice(3);
    const x0 = centroidX(frames[0].mask, SIZE.width);
    expect(Math.max(...later.map((f) => Math.abs(centroidX(f.mask, SIZE.width) - x0)))).toBeGreaterThan(2);
    expect(Math.min(...later.map((f) => maskIoU(frames[0].mask, f.mask)))).toBeLessThan(0.95);
    // Where both frames show background, only sensor noise differs.
    let diff = 0;
    let count = 0;
    for (let i = 0; i < frames[0].mask.length; i++) {
      if (frames[0].mask[i] !== 0 || frames[3].mask[i] !== 0) continue;
      for (let c = 0; c < 3; c++) diff += Math.abs(frames[0].input[i * 3 + c] - frames[3].input[i * 3 + c]);
      count += 3;
    }
    expect(count).toBeGreaterThan(0);
    expect(diff / count).toBeLessThan(8);
  });

  it('keeps target and mask consistent in every frame and avoids the hard cases', () => {
    const scene = synthScene(2, SIZE);
    expect(scene.info.greyscale).toBe(false);
    expect(scene.info.lowContrast).toBe(false);
    const frame = scene.frameAt(15);
    let wrong = 0;
    for (let i = 0; i < frame.mask.length; i++) {
      for (let c = 0; c < 3; c++) {
        if (frame.mask[i] === 0 && frame.target[i * 3 + c] !== 255) wrong++;
        if (frame.mask[i] === 255 && frame.target[i * 3 + c] !== frame.input[i * 3 + c]) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });

  it('rejects a bad frame index and a bad fps', () => {
    const scene = synthScene(1, { width: 32, height: 32 });
    expect(() => scene.frameAt(-1)).toThrow(InvalidOptionError);
    expect(() => scene.frameAt(1.5)).toThrow(/synthScene.frameAt index/);
    expect(() => synthScene(1, { fps: 0 })).toThrow('Expected number between 0.1 and 1000 for synthScene.fps but received 0');
  });
});
