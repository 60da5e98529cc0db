import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, from, toArray } from 'rxjs';
import { PlaneStore } from '../../../src/io/plane-store';
import { BadInputError } from '../../../src/pipeline/errors';
import type { Frame } from '../../../src/pipeline/frame';
import { attachStoredPlanes } from '../../../src/flow/attach-stored-planes';
import { keepPlanes } from '../../../src/flow/keep-planes';

function frame(index: number, guides?: Record<string, Uint8Array>): Frame {
  return Object.freeze({ index, timeSec: index / 10, width: 3, height: 2, data: new Uint8Array(18).fill(index), ...(guides ? { guides } : {}) });
}

describe('keepPlanes and attachStoredPlanes', () => {
  it('keep the named planes of each frame as it passes and attach them, by index, to a later pass', async () => {
    const store = PlaneStore.create();
    try {
      const first = [0, 1, 2].map((i) => frame(i, { a: new Uint8Array(6).fill(10 + i), b: new Uint8Array(6).fill(20 + i) }));
      const passed = await firstValueFrom(from(first).pipe(keepPlanes(store, ['a', 'b']), toArray()));
      expect(passed).toEqual(first);
      expect(store.size).toBe(3);
      const later = await firstValueFrom(from([2, 0].map((i) => frame(i))).pipe(attachStoredPlanes(store, ['a', 'b']), toArray()));
      expect(later.map((f) => [f.index, [...f.guides!['a']!], [...f.guides!['b']!]])).toEqual([
        [2, Array(6).fill(12), Array(6).fill(22)],
        [0, Array(6).fill(10), Array(6).fill(20)],
      ]);
      expect(later[0]!.data).toEqual(new Uint8Array(18).fill(2));
    } finally {
      store.remove();
    }
  });

  it('keep nothing for a frame that lacks a plane, and attaching it is a BadInputError naming the frame', async () => {
    const store = PlaneStore.create();
    try {
      await firstValueFrom(from([frame(0, { a: new Uint8Array(6) }), frame(1)]).pipe(keepPlanes(store, ['a']), toArray()));
      expect(store.has(0)).toBe(true);
      expect(store.has(1)).toBe(false);
      const attach = firstValueFrom(from([frame(1)]).pipe(attachStoredPlanes(store, ['a'])));
      await expect(attach).rejects.toBeInstanceOf(BadInputError);
      await expect(attach).rejects.toThrow(/frame 1 /);
    } finally {
      store.remove();
    }
  });

  it('drop a store whose write fails (its folder vanished) and let the frames pass on', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kept-planes-'));
    const store = PlaneStore.create(parent);
    rmSync(parent, { recursive: true, force: true });
    const first = [0, 1].map((i) => frame(i, { a: new Uint8Array(6).fill(i) }));
    expect(await firstValueFrom(from(first).pipe(keepPlanes(store, ['a']), toArray()))).toEqual(first);
    expect(store.usable).toBe(false);
  });

  it('let the frames pass on when the store was removed (a failed write), keeping nothing', async () => {
    const store = PlaneStore.create();
    store.remove();
    const first = [frame(0, { a: new Uint8Array(6) })];
    expect(await firstValueFrom(from(first).pipe(keepPlanes(store, ['a']), toArray()))).toEqual(first);
    expect(store.size).toBe(0);
  });
});
