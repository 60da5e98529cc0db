import { Observable } from 'rxjs';
import { CleanupTracker } from '../pipeline/cleanup-tracker';

/** The file writes of one subscription, handed to the stream that {@link settleWrites} wraps. */
export interface FileWrites {
  /** Starts a write and tracks it until it settles; returns its promise. */
  run<T>(write: () => Promise<T>): Promise<T>;
  /** True once the subscription has ended: a write still running should give up. */
  readonly isCancelled: () => boolean;
}

/**
 * Runs a stream that writes files and makes it release them before it ends: an error (its own or
 * upstream's) is passed on only once every write still running has ended (and removed its temporary
 * file); on unsubscribe the writes are told to give up and their ending goes to `cleanup`.
 *
 * @example
 * settleWrites((writes) => frames.pipe(mapFrames((f) => writes.run(() => writeFramePng(f, dir)))), cleanup);
 */
export function settleWrites<R>(build: (writes: FileWrites) => Observable<R>, cleanup?: CleanupTracker): Observable<R> {
  return new Observable<R>((subscriber) => {
    let cancelled = false;
    const running = new CleanupTracker();
    const writes: FileWrites = {
      run: (write) => {
        const done = write();
        running.track(done);
        return done;
      },
      isCancelled: () => cancelled,
    };
    const inner = build(writes).subscribe({
      next: (value) => subscriber.next(value),
      error: (error: unknown) => {
        cancelled = true;
        void running.settled().then(() => subscriber.error(error));
      },
      complete: () => subscriber.complete(),
    });
    return () => {
      cancelled = true;
      inner.unsubscribe();
      if (running.size > 0) cleanup?.track(running.settled());
    };
  });
}
