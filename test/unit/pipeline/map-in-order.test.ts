import { firstValueFrom, from, toArray } from 'rxjs';
import { mapInOrder } from '../../../src/pipeline/map-in-order';

/** A promise with its resolve, to finish calls in an order the test chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mapInOrder', () => {
  it('runs up to `lanes` calls at once, each on a lane no running call holds, and emits in input order', async () => {
    const calls: { value: number; lane: number; done: ReturnType<typeof deferred<string>> }[] = [];
    let running = 0;
    let most = 0;
    const out = firstValueFrom(
      from([0, 1, 2, 3, 4]).pipe(
        mapInOrder((value, lane) => {
          running++;
          most = Math.max(most, running);
          const done = deferred<string>();
          calls.push({ value, lane, done });
          return done.promise.finally(() => running--);
        }, 2),
        toArray(),
      ),
    );
    const settle = async (value: number) => {
      calls.find((c) => c.value === value)!.done.resolve(`out ${value}`);
      await new Promise((r) => setImmediate(r));
    };
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c.value)).toEqual([0, 1]);
    // The second call finishes first; the third takes its lane while the first still runs.
    await settle(1);
    expect(calls.map((c) => [c.value, c.lane])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
    ]);
    await settle(2);
    await settle(0);
    await settle(3);
    await settle(4);
    expect(await out).toEqual(['out 0', 'out 1', 'out 2', 'out 3', 'out 4']);
    expect(most).toBe(2);
    expect(new Set(calls.map((c) => c.lane))).toEqual(new Set([0, 1]));
  });

  it('with one lane is concatMap: one call at a time, lane 0', async () => {
    const lanes: number[] = [];
    let running = 0;
    const out = await firstValueFrom(
      from([1, 2, 3]).pipe(
        mapInOrder(async (value, lane) => {
          expect(++running).toBe(1);
          lanes.push(lane);
          await new Promise((r) => setImmediate(r));
          running--;
          return value * 10;
        }, 1),
        toArray(),
      ),
    );
    expect(out).toEqual([10, 20, 30]);
    expect(lanes).toEqual([0, 0, 0]);
  });

  it('errors with the first rejection', async () => {
    const out = firstValueFrom(from([1, 2, 3]).pipe(mapInOrder(async (value) => (value === 2 ? Promise.reject(new Error('boom 2')) : value), 2), toArray()));
    await expect(out).rejects.toThrow('boom 2');
  });
});
