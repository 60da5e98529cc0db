import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Maps each value through an async function, running up to `lanes` calls at once and emitting the
 * results in the order the values came in, whatever finished first. Each call gets a lane number
 * (0 … lanes - 1) that no other running call holds, for work that must not share a resource (the
 * engine's generation lanes). With `lanes` 1 it is `concatMap`.
 *
 * The first rejection errors the stream. An error from upstream is passed on after the results of
 * the values before it. Unlike `mergeMap`, values wait in a queue here only while the upstream keeps
 * pushing; with a `FrameBudget` between decoder and sink that queue is bounded by `maxInFlight`.
 *
 * @example
 * batches.pipe(mapInOrder((batch, lane) => model.generate(…, { lane }), 2));
 */
export function mapInOrder<T, R>(fn: (value: T, lane: number) => R | Promise<R>, lanes: number): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting: T[] = [];
      // Started calls in input order; the head is emitted as soon as it settles.
      const started: Array<{ settled: boolean; value?: R }> = [];
      const free = Array.from({ length: lanes }, (_, k) => lanes - 1 - k);
      let sourceDone = false;
      // An upstream error waits until the values that came before it are through.
      let sourceError: { error: unknown } | undefined;
      let closed = false;

      const flush = () => {
        while (!closed && started.length > 0 && started[0]?.settled) {
          subscriber.next(started.shift()?.value as R);
        }
        if (closed || started.length > 0 || waiting.length > 0) return;
        if (sourceError !== undefined) subscriber.error(sourceError.error);
        else if (sourceDone) subscriber.complete();
      };
      const pump = () => {
        while (!closed && free.length > 0 && waiting.length > 0) {
          const value = waiting.shift() as T;
          const lane = free.pop() as number;
          const slot: { settled: boolean; value?: R } = { settled: false };
          started.push(slot);
          Promise.resolve()
            .then(() => fn(value, lane))
            .then(
              (result) => {
                free.push(lane);
                slot.value = result;
                slot.settled = true;
                flush();
                pump();
              },
              (error: unknown) => {
                free.push(lane);
                if (!closed) subscriber.error(error);
              },
            );
        }
      };
      const subscription = source.subscribe({
        next: (value) => {
          waiting.push(value);
          pump();
        },
        error: (error: unknown) => {
          sourceError = { error };
          flush();
        },
        complete: () => {
          sourceDone = true;
          flush();
        },
      });
      return () => {
        closed = true;
        waiting.length = 0;
        subscription.unsubscribe();
      };
    });
}
