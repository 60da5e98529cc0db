import { InvalidOptionError } from '../../../src/pipeline/errors';
import { pickPaint } from '../../../src/patch/pick-paint';
import { patchScene, SIZE } from './scene';

/** Intersection over union of two 0/255 masks. */
function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0, either = 0;
  for (let q = 0; q < a.length; q++) {
    if (a[q] && b[q]) both++;
    if (a[q] || b[q]) either++;
  }
  return both / either;
}

describe('pickPaint', () => {
  it('reads where the edit painted over the fingers on the speaker', () => {
    const scene = patchScene(20);
    const paint = pickPaint(20, scene.input, scene.edit, SIZE, SIZE);
    expect(paint).toBeDefined();
    const covered = scene.fingers.map((v, q) => (v && scene.speaker[q] ? 255 : 0));
    expect(covered.filter((v) => v).length).toBeGreaterThan(500);
    expect(iou(paint!.painted, covered)).toBeGreaterThan(0.7);
    // Never outside what the edit kept.
    expect(paint!.painted.every((v, q) => !v || scene.speaker[q])).toBe(true);
    expect(paint!.index).toBe(20);
  });

  it('paints nothing for an edit that only erased the background', () => {
    const scene = patchScene(45); // the fingers have left
    expect(scene.fingers.some((v) => v)).toBe(false);
    expect(pickPaint(45, scene.input, scene.edit, SIZE, SIZE)).toBeUndefined();
  });

  it('paints nothing for an edit that changed the colours of what it kept', () => {
    const scene = patchScene(20, 40);
    expect(pickPaint(20, scene.input, scene.edit, SIZE, SIZE)).toBeUndefined();
  });

  it('refuses buffers of another size', () => {
    const scene = patchScene(20);
    expect(() => pickPaint(20, scene.input, scene.edit.subarray(3), SIZE, SIZE)).toThrow(InvalidOptionError);
  });
});
