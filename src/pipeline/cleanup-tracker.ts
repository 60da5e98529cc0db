/**
 * Collects the cleanups that stages start when they are unsubscribed, so that the job that owns the
 * outputs can wait for them before it returns or rejects.
 *
 * A stage releases what it owns (kills ffmpeg, waits for it to exit, removes its temporary files)
 * before it sends `error` or `complete`. A plain unsubscribe has no notification to delay, so the
 * stage hands its cleanup to the tracker it was given instead, and the job awaits {@link settled}.
 *
 * @example
 * const cleanup = new CleanupTracker();
 * try {
 *   await lastValueFrom(frames.pipe(encodeVideo('out.mp4', { cleanup }), take(5)));
 * } finally {
 *   await cleanup.settled(); // ffmpeg has exited and its temporary file is gone
 * }
 */
export class CleanupTracker {
  readonly #pending = new Set<Promise<unknown>>();

  /** Adds a cleanup in progress; its rejection is swallowed here (a cleanup has nobody to tell). */
  track(done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
  }

  /** How many tracked cleanups are still running. */
  get size(): number {
    return this.#pending.size;
  }

  /** Resolves (never rejects) once every cleanup tracked so far, and any added meanwhile, has ended. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
