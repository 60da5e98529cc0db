import { concatMap, defer, from, mergeMap, type OperatorFunction } from 'rxjs';

/**
 * Like `concatMap` over an async function, but with up to `lanes` calls running at once: each call
 * gets a lane number (0 … lanes - 1) that no other running call holds, and the results come out in
 * the order of their inputs. With `lanes` 1 it is `concatMap`. The first rejection errors the stream.
 *
 * @example
 * frames.pipe(mapInOrder((batch, lane) => model.generate(…, { lane }), 2));
 */
export function mapInOrder<T, R>(project: (value: T, lane: number) => Promise<R>, lanes: number): OperatorFunction<T, R> {
  return (source) =>
    defer(() => {
      const free = Array.from({ length: lanes }, (_, k) => lanes - 1 - k);
      const done = new Map<number, R>();
      let next = 0;
      return source.pipe(
        mergeMap(async (value, index) => {
          const lane = free.pop()!;
          try {
            done.set(index, await project(value, lane));
          } finally {
            free.push(lane);
          }
          const ready: R[] = [];
          for (; done.has(next); next++) {
            ready.push(done.get(next)!);
            done.delete(next);
          }
          return ready;
        }, lanes),
        concatMap((ready) => from(ready)),
      );
    });
}
