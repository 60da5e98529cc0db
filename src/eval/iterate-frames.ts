import type { Observable } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';

/**
 * Pulls the frames of a bounded source one at a time: each frame is released to `budget` when the
 * consumer asks for the next, so at most `budget.maxInFlight` frames are decoded ahead. Leaving the
 * loop early unsubscribes (which stops ffmpeg); an error of the source is thrown by the loop.
 *
 * @example
 * const budget = new FrameBudget(4);
 * for await (const frame of iterateFrames(decodeVideo('out.mp4', { budget }), budget)) use(frame);
 */
export async function* iterateFrames(source: Observable<Frame>, budget: FrameBudget): AsyncGenerator<Frame> {
  const queue: Frame[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const subscription = source.subscribe({
    next: (frame) => {
      queue.push(frame);
      notify();
    },
    error: (error: unknown) => {
      failure = { error };
      finished = true;
      notify();
    },
    complete: () => {
      finished = true;
      notify();
    },
  });
  try {
    for (;;) {
      const frame = queue.shift();
      if (frame !== undefined) {
        yield frame;
        budget.releaseThrough(frame.index);
        continue;
      }
      if (failure) throw failure.error;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    subscription.unsubscribe();
    budget.releaseAll();
  }
}
