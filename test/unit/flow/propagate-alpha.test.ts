import { firstValueFrom, from, toArray } from 'rxjs';
import { leaveOneOutAlphas } from '../../../src/flow/leave-one-out-alphas';
import { propagateAlpha } from '../../../src/flow/propagate-alpha';
import { maskIoU } from '../../../src/eval/mask-iou';
import { BadInputError } from '../../../src/pipeline/errors';
import { rmSync } from 'node:fs';
import { PlaneStore } from '../../../src/io/plane-store';
import { attachStoredAlpha } from '../../../src/flow/attach-stored-alpha';
import { tempDir } from '../../integration/helpers';
import { budgetedPass, movingDiscClip } from './synthetic-clip';

describe('propagateAlpha', () => {
  it("attaches guides['flow-alpha'] to every frame, reading ahead within its cap", async () => {
    const clip = movingDiscClip({ frames: 25 });
    const frames = clip.map((c) => c.frame);
    const picks = new Map([0, 12, 24].map((i) => [i, clip[i]!.mask]));
    const seen = { maxInFlight: 0 };
    const out = await firstValueFrom(
      from(frames).pipe(propagateAlpha({ picks, frames: budgetedPass(frames, seen), maxHeldFrames: 12 }), toArray()),
    );
    expect(out.map((f) => f.index)).toEqual(frames.map((f) => f.index));
    expect(out[12]!.guides?.['flow-alpha']).toBe(clip[12]!.mask);
    expect(out[5]!.data).toBe(frames[5]!.data);
    for (const f of out) expect(maskIoU(f.guides!['flow-alpha']!, clip[f.index]!.mask)).toBeGreaterThan(0.9);
    expect(seen.maxInFlight).toBeLessThanOrEqual(14);
  });

  it('with no picks, gives every frame "no data" (128) without reading the video a second time', async () => {
    const clip = movingDiscClip({ frames: 5 });
    const frames = clip.map((c) => c.frame);
    const pass = () => {
      throw new Error('the second pass was opened');
    };
    const out = await firstValueFrom(from(frames).pipe(propagateAlpha({ picks: new Map(), frames: pass }), toArray()));
    expect(out.map((f) => f.index)).toEqual(frames.map((f) => f.index));
    for (const f of out) {
      const alpha = f.guides!['flow-alpha']!;
      expect(alpha).toHaveLength(f.width * f.height);
      expect(alpha.every((v) => v === 128)).toBe(true);
    }
  });

  it('errors with BadInputError when the second pass is shorter than the stream', async () => {
    const clip = movingDiscClip({ frames: 6 });
    const frames = clip.map((c) => c.frame);
    const picks = new Map([[0, clip[0]!.mask]]);
    const run = firstValueFrom(
      from(frames).pipe(propagateAlpha({ picks, frames: budgetedPass(frames.slice(0, 4), { maxInFlight: 0 }) }), toArray()),
    );
    await expect(run).rejects.toThrow(BadInputError);
    await expect(run).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message:
        'propagateAlpha: the second pass over the video has no frame 4 (it ended after frame 3); give it the same input, fps and crop as the stream.',
    });
  });
});

describe('leaveOneOutAlphas', () => {
  it("gives every pick the other picks' propagated alpha", async () => {
    const clip = movingDiscClip({ frames: 21 });
    const frames = clip.map((c) => c.frame);
    const picks = new Map([0, 10, 20].map((i) => [i, clip[i]!.mask]));
    const loo = await leaveOneOutAlphas({ picks, frames: budgetedPass(frames, { maxInFlight: 0 }) });
    expect([...loo.keys()].sort((a, b) => a - b)).toEqual([0, 10, 20]);
    expect(loo.get(10)!.source).toBe('both');
    // The middle pick blends both neighbours; the end ones are carried 10 frames from one side.
    for (const [index, f] of loo) expect(maskIoU(f.alpha, clip[index]!.mask)).toBeGreaterThan(f.source === 'both' ? 0.9 : 0.75);
  });

  it.each([false, true])("keeps every frame's full propagation in a store: what propagateAlpha attaches, read back by attachStoredAlpha (direct %s)", async (direct) => {
    const clip = movingDiscClip({ frames: 21 });
    const frames = clip.map((c) => c.frame);
    const picks = new Map([0, 10, 20].map((i) => [i, clip[i]!.mask]));
    const store = PlaneStore.create(tempDir());
    try {
      await leaveOneOutAlphas({ picks, frames: budgetedPass(frames, { maxInFlight: 0 }), store, direct });
      expect(store.size).toBe(21);
      const stored = await firstValueFrom(from(frames).pipe(attachStoredAlpha(store), toArray()));
      const fresh = await firstValueFrom(from(frames).pipe(propagateAlpha({ picks, frames: budgetedPass(frames, { maxInFlight: 0 }), direct }), toArray()));
      for (const [k, f] of stored.entries()) expect(Buffer.compare(f.guides!['flow-alpha']!, fresh[k]!.guides!['flow-alpha']!)).toBe(0);
      // A frame the pass never saw is an error, not a guess.
      const more = { ...frames[0]!, index: 21 };
      await expect(firstValueFrom(from([more]).pipe(attachStoredAlpha(store)))).rejects.toBeInstanceOf(BadInputError);
    } finally {
      store.remove();
    }
  });

  it('drops a store it cannot write to and still gives the picks their alphas', async () => {
    const clip = movingDiscClip({ frames: 11 });
    const frames = clip.map((c) => c.frame);
    const picks = new Map([0, 10].map((i) => [i, clip[i]!.mask]));
    const parent = tempDir();
    const store = PlaneStore.create(parent);
    // Its folder vanishes before the first write (as on a full or cleaned-up disk).
    rmSync(parent, { recursive: true, force: true });
    const loo = await leaveOneOutAlphas({ picks, frames: budgetedPass(frames, { maxInFlight: 0 }), store });
    expect([...loo.keys()].sort((a, b) => a - b)).toEqual([0, 10]);
    expect(store.usable).toBe(false);
    expect(store.size).toBe(0);
  });
});
