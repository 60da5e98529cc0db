/** A promise with its `resolve` and `reject` exposed, so that a test decides when work finishes. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  /** True once `resolve` or `reject` was called. */
  readonly settled: boolean;
}

/**
 * A promise the test settles itself: tests drive completion order with these instead of timers,
 * which coalesce and reorder on a loaded machine.
 *
 * @example
 * const d = deferred<number>();
 * setTimeout(() => d.resolve(1));
 * await d.promise;
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve(value: T) {
      settled = true;
      resolve(value);
    },
    reject(error: unknown) {
      settled = true;
      reject(error);
    },
    get settled() {
      return settled;
    },
  };
}

/**
 * Resolves after every promise continuation queued so far, and one pass of the event loop's I/O
 * phase, have run (one `setImmediate` turn): a turn of the loop, not a length of time.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A counter that a test can wait on: `await counter.reach(3)` resolves as soon as `add` has been
 * called three times, however long that takes (the test's timeout bounds it).
 */
export class Counter {
  private n = 0;
  private readonly waiters: Array<{ target: number; done: () => void }> = [];

  get value(): number {
    return this.n;
  }

  add(by = 1): void {
    this.n += by;
    for (const w of [...this.waiters]) {
      if (this.n >= w.target) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.done();
      }
    }
  }

  /** Resolves once the count is at least `target`. */
  reach(target: number): Promise<void> {
    if (this.n >= target) return Promise.resolve();
    return new Promise((done) => this.waiters.push({ target, done }));
  }
}
