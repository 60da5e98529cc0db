import { InvalidOptionError } from '../../../src/pipeline/errors';
import { copiesKept, pickPaint } from '../../../src/patch/pick-paint';
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

  it('reads where the fingers come in: the border they cross, widened along it, and nothing for fingers wholly inside', () => {
    const scene = patchScene(20);
    const paint = pickPaint(20, scene.input, scene.edit, SIZE, SIZE)!;
    const onBorder = (q: number) => q % SIZE === 0 || q % SIZE === SIZE - 1 || q < SIZE || q >= SIZE * (SIZE - 1);
    const crossed = scene.fingers.map((v, q) => (v && onBorder(q) ? 1 : 0));
    expect(crossed.some((v) => v)).toBe(true);
    // Every border pixel the fingers cross, and only border pixels.
    expect(crossed.every((v, q) => !v || paint.entry[q] === 255)).toBe(true);
    expect(paint.entry.every((v, q) => !v || onBorder(q))).toBe(true);
    // The far corner is more than 60 px along the border from the fingers: not an entry.
    expect(paint.entry[SIZE - 1]).toBe(0);
    // The same fingers cut off from the border (the frame's outer 20 px kept as the clean picture).
    const inside = Uint8Array.from(scene.input);
    for (let q = 0; q < SIZE * SIZE; q++) {
      const x = q % SIZE, y = Math.floor(q / SIZE);
      if (x < 20 || y >= SIZE - 20) inside.set(scene.edit.subarray(q * 3, q * 3 + 3), q * 3);
    }
    expect(pickPaint(20, inside, scene.edit, SIZE, SIZE)!.entry.some((v) => v)).toBe(false);
  });

  it('tells an edit that copied what it kept (a patch, an erase) from one that changed its colours (copiesKept)', () => {
    const patched = patchScene(20), erased = patchScene(45), brightened = patchScene(45, 30);
    expect(copiesKept(patched.input, patched.edit, SIZE, SIZE)).toBe(true);
    expect(copiesKept(erased.input, erased.edit, SIZE, SIZE)).toBe(true);
    expect(copiesKept(brightened.input, brightened.edit, SIZE, SIZE)).toBe(false);
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

  it('paints nothing for an edit that recoloured part of the speaker and kept its texture (teeth whitened, a shirt tinted)', () => {
    const scene = patchScene(45);
    const edit = Uint8Array.from(scene.edit);
    for (let y = 90; y < 130; y++) for (let x = 100; x < 150; x++) for (let c = 0; c < 3; c++) edit[(y * SIZE + x) * 3 + c] = Math.min(255, edit[(y * SIZE + x) * 3 + c]! + 50);
    expect(pickPaint(45, scene.input, edit, SIZE, SIZE)).toBeUndefined();
  });

  it('paints nothing for an erase with a feathered edge wider than the edge it skips', () => {
    const scene = patchScene(45);
    const edit = Uint8Array.from(scene.edit);
    // The outer 12 px of the speaker (a disc of radius 55 at (137.5, 105)) fade to white.
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const depth = 55 - Math.hypot(x - 137.5, y - 105);
        if (depth < 0 || depth >= 12) continue;
        for (let c = 0; c < 3; c++) {
          const q = (y * SIZE + x) * 3 + c;
          edit[q] = Math.round(255 - (depth / 12) * (255 - scene.input[q]!));
        }
      }
    }
    expect(pickPaint(45, scene.input, edit, SIZE, SIZE)).toBeUndefined();
  });

  it('refuses options out of range', () => {
    const scene = patchScene(20);
    expect(() => pickPaint(20, scene.input, scene.edit, SIZE, SIZE, { close: -1 })).toThrow(InvalidOptionError);
    expect(() => pickPaint(20, scene.input, scene.edit, SIZE, SIZE, { threshold: 0 })).toThrow(InvalidOptionError);
  });

  it('refuses buffers of another size', () => {
    const scene = patchScene(20);
    expect(() => pickPaint(20, scene.input, scene.edit.subarray(3), SIZE, SIZE)).toThrow(InvalidOptionError);
  });
});
