import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PlaneStore } from '../../../src/io/plane-store';
import { InvalidOptionError, OutputError } from '../../../src/pipeline/errors';
import { tempDir } from '../../integration/helpers';

/** A plane like an alpha: 255 inside a square, 0 outside, with a soft ramp. */
function alphaPlane(size: number, seed: number): Uint8Array {
  const plane = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) plane[y * size + x] = Math.max(0, Math.min(255, (40 + seed - Math.abs(x - size / 2) - Math.abs(y - size / 2)) * 16));
  return plane;
}

describe('PlaneStore', () => {
  it('gives back every frame its planes, byte for byte, in any order, and undefined for a frame it has not', async () => {
    const store = PlaneStore.create(tempDir());
    try {
      const planes = new Map([...Array(20).keys()].map((t) => [t, t % 3 === 0 ? [alphaPlane(100, t)] : [alphaPlane(100, t), alphaPlane(100, 2 * t)]]));
      // Not awaited one by one: the writes queue up in call order.
      await Promise.all([...planes].map(([t, list]) => store.put(t, list)));
      expect(store.size).toBe(20);
      for (const t of [19, 0, 7, 3, 12]) expect(await store.get(t)).toEqual(planes.get(t));
      expect(await store.get(20)).toBeUndefined();
      expect(store.has(20)).toBe(false);
      await store.put(7, [new Uint8Array(5).fill(9)]);
      expect(await store.get(7)).toEqual([new Uint8Array(5).fill(9)]);
    } finally {
      store.remove();
    }
  });

  it('keeps planes compressed: 20 alpha planes of 160 KB take a small part of that on disk', async () => {
    const parent = tempDir();
    const store = PlaneStore.create(parent);
    try {
      for (let t = 0; t < 20; t++) await store.put(t, [alphaPlane(400, t)]);
      const [folder] = readdirSync(parent);
      const { size } = await import('node:fs').then((fs) => fs.statSync(join(parent, folder!, 'planes.bin')));
      expect(size).toBeLessThan((20 * 400 * 400) / 10);
    } finally {
      store.remove();
    }
  });

  it('gives a plane right after an unawaited put, and rejects a put whose folder is gone with an OutputError', async () => {
    const parent = tempDir();
    const store = PlaneStore.create(parent);
    const plane = alphaPlane(64, 3);
    const put = store.put(4, [plane]);
    expect(await store.get(4)).toEqual([plane]);
    await put;
    rmSync(parent, { recursive: true, force: true });
    const gone = tempDir();
    const late = PlaneStore.create(gone);
    rmSync(gone, { recursive: true, force: true });
    await expect(late.put(1, [plane])).rejects.toBeInstanceOf(OutputError);
    store.remove();
    late.remove();
  });

  it('deletes its folder on remove, forgets its planes and refuses new ones', async () => {
    const parent = tempDir();
    const store = PlaneStore.create(parent);
    await store.put(1, [alphaPlane(50, 1)]);
    store.remove();
    store.remove();
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(parent)).toBe(true);
    expect(await store.get(1)).toBeUndefined();
    await expect(store.put(2, [alphaPlane(50, 2)])).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
