import { expectInteger } from './validate';

/**
 * A credit counter shared by a frame source and a sink: the bounded-memory half of vidgan's
 * stream runtime.
 *
 * RxJS has no backpressure: an Observable pushes, and `concatMap`/`mergeMap` buffer without bound.
 * So the source and the sink of a frame graph share one budget of `maxInFlight` frames:
 *
 * - the source (e.g. {@link decodeVideo}) calls {@link take} for every frame it emits and stops
 *   reading (pauses ffmpeg's stdout, which in turn blocks ffmpeg) while the budget is exhausted;
 * - the sink (e.g. {@link encodeVideo}, {@link writePngSequence}, or {@link releaseFrames} before a
 *   custom subscriber) calls {@link releaseThrough} once it is done with a frame, which frees that
 *   frame and every earlier one (frames a stage filtered out are freed this way too);
 * - {@link onAvailable} tells the paused source to read again.
 *
 * So at most `maxInFlight` frames exist between source and sink whatever the video length, plus
 * what the pipes hold. Frames must reach the sink in index order (every vidgan stage keeps order),
 * and no stage may hold back more than `maxInFlight` frames (e.g. `bufferCount(n)` needs n <= maxInFlight).
 *
 * @example
 * const budget = new FrameBudget(16);
 * decodeVideo('in.mp4', { budget }).pipe(centerCrop(400), encodeVideo('out.mp4', { budget })).subscribe();
 */
export class FrameBudget {
  /** Indices taken and not yet released, ascending. */
  private readonly taken: number[] = [];
  private head = 0;
  private readonly waiters = new Set<() => void>();

  /**
   * @param maxInFlight the most frames between source and sink (default 16).
   * @throws {InvalidOptionError} when maxInFlight is not an integer in [1, 100000].
   */
  constructor(readonly maxInFlight = 16) {
    expectInteger('maxInFlight', maxInFlight, 1, 100_000);
  }

  /** Frames taken by the source and not yet released by the sink. */
  get inFlight(): number {
    return this.taken.length - this.head;
  }

  /** True when the source must wait before emitting another frame. */
  get exhausted(): boolean {
    return this.inFlight >= this.maxInFlight;
  }

  /** Source side: records that frame `index` is entering the graph. */
  take(index: number): void {
    this.taken.push(index);
  }

  /** Sink side: frame `index` and every earlier frame are done. */
  releaseThrough(index: number): void {
    const before = this.inFlight;
    while (this.head < this.taken.length && (this.taken[this.head] as number) <= index) this.head++;
    if (this.head > 1024 && this.head * 2 > this.taken.length) {
      this.taken.splice(0, this.head);
      this.head = 0;
    }
    if (this.inFlight < before && !this.exhausted) for (const waiter of [...this.waiters]) waiter();
  }

  /** Frees every frame, e.g. when the sink finished or failed. */
  releaseAll(): void {
    this.releaseThrough(Number.POSITIVE_INFINITY);
  }

  /**
   * Source side: calls `listener` each time frames are released and the budget has room.
   * Returns a function that removes the listener.
   */
  onAvailable(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => this.waiters.delete(listener);
  }
}
