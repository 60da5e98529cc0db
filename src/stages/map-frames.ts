import { Observable, type OperatorFunction } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';

/** Options of {@link mapFrames}. */
export interface MapFramesOptions {
  /** How many calls of `fn` may run at once (default 1). Results still come out in input order. */
  readonly concurrency?: number;
}

/**
 * Builds a stage from an async per-frame function (a model, a sharp call, a worker), running up to
 * `concurrency` calls at once and emitting the results in the order the frames came in, so the
 * encoder sees frame 0, 1, 2, … whatever finished first.
 *
 * An error from upstream is passed on after the results of the frames before it (so a truncated
 * video's frames are all processed before its error). Unlike `mergeMap`, frames wait in a queue here only while the upstream keeps pushing; with a
 * {@link FrameBudget} between decoder and sink that queue is bounded by `maxInFlight`.
 *
 * @example
 * decodeVideo('a.mp4').pipe(mapFrames(async (f) => withPixels(f, await denoise(f.data)), { concurrency: 2 }));
 * @throws {InvalidOptionError} when concurrency is not an integer in [1, 256].
 */
export function mapFrames<R = Frame>(
  fn: (frame: Frame) => R | Promise<R>,
  options: MapFramesOptions = {},
): OperatorFunction<Frame, R> {
  const concurrency = expectInteger('concurrency', options.concurrency ?? 1, 1, 256);
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting: Frame[] = [];
      // Started calls in input order; the head is emitted as soon as it settles.
      const started: Array<{ settled: boolean; value?: R }> = [];
      let running = 0;
      let sourceDone = false;
      // An upstream error waits until the frames that came before it are through.
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
        while (!closed && running < concurrency && waiting.length > 0) {
          const frame = waiting.shift() as Frame;
          const slot: { settled: boolean; value?: R } = { settled: false };
          started.push(slot);
          running++;
          Promise.resolve()
            .then(() => fn(frame))
            .then(
              (value) => {
                running--;
                slot.value = value;
                slot.settled = true;
                flush();
                pump();
              },
              (error: unknown) => {
                running--;
                if (!closed) subscriber.error(error);
              },
            );
        }
      };
      const subscription = source.subscribe({
        next: (frame) => {
          waiting.push(frame);
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
