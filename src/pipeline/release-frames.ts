import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { Frame } from './frame';
import type { FrameBudget } from './frame-budget';

/**
 * Releases each frame from `budget` once the subscriber downstream has handled it, for pipelines
 * that end in a custom subscriber instead of a vidgan sink. Place it last: a frame counts as done
 * when the subscriber's synchronous `next` has returned.
 *
 * @example
 * const budget = new FrameBudget(8);
 * decodeVideo('a.mp4', { budget }).pipe(releaseFrames(budget)).subscribe((f) => stats.add(f));
 */
export function releaseFrames(budget: FrameBudget): MonoTypeOperatorFunction<Frame> {
  return (source) =>
    new Observable<Frame>((subscriber) => {
      const subscription = source.subscribe({
        next: (frame) => {
          subscriber.next(frame);
          budget.releaseThrough(frame.index);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        budget.releaseAll();
      };
    });
}
