import { lastValueFrom, range, map, concat, tap, throwError, toArray } from 'rxjs';
import { InvalidOptionError } from '../../../src/pipeline/errors';
import { makeFrame, withPixels, type Frame } from '../../../src/pipeline/frame';
import { mapFrames } from '../../../src/stages/map-frames';
import { deferred, nextTurn, type Deferred } from '../../deferred';

const frames = (n: number) => range(0, n).pipe(map((i) => makeFrame(i, i / 10, 1, 1, new Uint8Array([i, 0, 0]))));

/**
 * A per-frame function whose calls finish only when the test says so: `gates.get(i)` settles the
 * call for frame i, and `started` lists the frames whose call has begun, in order.
 */
function gatedFunction() {
  const gates = new Map<number, Deferred<void>>();
  const started: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const fn = async (f: Frame): Promise<Frame> => {
    const gate = deferred();
    gates.set(f.index, gate);
    started.push(f.index);
    maxRunning = Math.max(maxRunning, ++running);
    await gate.promise;
    running--;
    return withPixels(f, new Uint8Array([f.data[0]! * 2, 0, 0]));
  };
  /** Frames whose call has started and not been released yet, ascending. */
  const open = () => [...gates].filter(([, g]) => !g.settled).map(([i]) => i).sort((a, b) => a - b);
  return {
    fn,
    gates,
    started,
    open,
    get running() {
      return running;
    },
    get maxRunning() {
      return maxRunning;
    },
  };
}

describe('mapFrames', () => {
  it('keeps input order when later frames finish first', async () => {
    const gated = gatedFunction();
    const out: number[] = [];
    const done = lastValueFrom(frames(20).pipe(mapFrames(gated.fn, { concurrency: 4 }), tap((f) => out.push(f.index)), toArray()));
    await nextTurn();
    expect(gated.started).toEqual([0, 1, 2, 3]);

    // Frames 3, 2, 1 finish before frame 0: nothing may come out, and their slots go to 4, 5, 6.
    for (const i of [3, 2, 1]) gated.gates.get(i)!.resolve();
    await nextTurn();
    expect(out).toEqual([]);
    expect(gated.started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(gated.running).toBe(4);
    gated.gates.get(0)!.resolve();
    await nextTurn();
    expect(out).toEqual([0, 1, 2, 3]);

    // From here on, always finish the latest started call first.
    while (gated.open().length > 0) {
      const open = gated.open();
      gated.gates.get(open[open.length - 1]!)!.resolve();
      await nextTurn();
      // What has come out is the input order up to the oldest call still open.
      expect(out).toEqual([...Array(gated.open()[0] ?? 20).keys()]);
    }
    const result = await done;
    expect(result.map((f) => f.index)).toEqual([...Array(20).keys()]);
    expect(result.map((f) => f.data[0])).toEqual([...Array(20).keys()].map((i) => i * 2));
    expect(gated.maxRunning).toBe(4);
  });

  it('runs one call at a time by default', async () => {
    const gated = gatedFunction();
    const done = lastValueFrom(frames(5).pipe(mapFrames(gated.fn), toArray()));
    for (let i = 0; i < 5; i++) {
      await nextTurn();
      expect(gated.started).toEqual([...Array(i + 1).keys()]);
      gated.gates.get(i)!.resolve();
    }
    expect((await done).map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
    expect(gated.maxRunning).toBe(1);
  });

  it('errors when the function rejects', async () => {
    const failing = frames(5).pipe(
      mapFrames(async (f) => {
        if (f.index === 2) throw new Error('model failed on frame 2');
        return f;
      }),
    );
    await expect(lastValueFrom(failing)).rejects.toThrow('model failed on frame 2');
  });

  it('delivers the results of earlier frames before an upstream error', async () => {
    const gated = gatedFunction();
    const seen: number[] = [];
    let failed: unknown;
    const source = concat(frames(3), throwError(() => new Error('truncated')));
    const run = lastValueFrom(source.pipe(mapFrames(gated.fn, { concurrency: 2 }), map((f) => seen.push(f.index))));
    run.catch((error: unknown) => (failed = error));
    await nextTurn();
    // The source has already errored; frames 0 and 1 are running and frame 2 waits.
    expect(gated.started).toEqual([0, 1]);
    gated.gates.get(1)!.resolve();
    gated.gates.get(0)!.resolve();
    await nextTurn();
    expect(seen).toEqual([0, 1]);
    expect(failed).toBeUndefined();
    gated.gates.get(2)!.resolve();
    await expect(run).rejects.toThrow('truncated');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('validates concurrency when built', () => {
    expect(() => mapFrames((f) => f, { concurrency: 0 })).toThrow(InvalidOptionError);
  });
});
