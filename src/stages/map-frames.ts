import type { OperatorFunction } from 'rxjs';
import { mapInOrder } from '../pipeline/map-in-order';
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
  return mapInOrder((frame: Frame) => fn(frame), concurrency);
}
