import { Observable } from 'rxjs';
import type { PlaneStore } from '../io/plane-store';
import { FrameBudget } from '../pipeline/frame-budget';
import { AlphaPropagator, type PropagatedAlpha, type PropagationOutput } from './alpha-propagator';
import { greyPlane } from './grey-plane';
import type { Plane } from './plane';
import type { PropagateAlphaOptions } from './propagate-alpha';

/** Options of {@link leaveOneOutAlphas}. */
export interface LeaveOneOutOptions extends PropagateAlphaOptions {
  /**
   * Also keep what the same pass carries to EVERY frame from all the picks (the stream's `flow-alpha`,
   * and its veto with `vetoes`), by frame index: [alpha] or [alpha, veto]. The stream can then read
   * them ({@link attachStoredAlpha}) instead of decoding the video again and computing its flows twice.
   * A store that cannot be written is removed (`usable` false) and the pass goes on without it.
   */
  readonly store?: PlaneStore;
  /** Called with each frame's grey plane as the pass reads it (the guide kit keeps the few it needs). */
  readonly onGrey?: (index: number, grey: Plane) => void;
}

/**
 * For every pick, the alpha that propagation carries to it from the OTHER picks (forward from the
 * previous pick, backward from the next, blended by distance; never its own edit): the `flow-alpha`
 * guide to train a picked frame with, so the generator learns to correct propagation's errors
 * rather than to copy its guide. One pass over the frames; memory as in {@link propagateAlpha}, plus
 * one plane per pick.
 *
 * The flows are the same ones the stream's propagation computes (same frames, picks and settings),
 * so with `store` the pass also keeps every frame's full propagation, on disk.
 *
 * @example
 * const loo = await leaveOneOutAlphas({ picks, frames: (b) => decodeVideo(input, { fps: 10, crop: 400, budget: b }) });
 * loo.get(120)?.alpha; // frame 120's guide for training
 * @throws {InvalidOptionError} for a bad cap or threshold.
 * Rejects with {@link EngineError} when the flow fails, and with the pass's own errors.
 */
export async function leaveOneOutAlphas(options: LeaveOneOutOptions): Promise<Map<number, PropagatedAlpha>> {
  const budget = new FrameBudget(4);
  const found = new Map<number, PropagatedAlpha>();
  let propagator: AlphaPropagator | undefined;
  const keep = async (output: PropagationOutput) => {
    output.leaveOneOut.forEach((alpha) => found.set(alpha.index, alpha));
    const { store } = options;
    if (store === undefined || !store.usable) return;
    // The store only saves the stream work: one that cannot be written (a full disk) is dropped.
    await Promise.all(output.frames.map((f) => store.put(f.index, f.veto ? [f.alpha, f.veto] : [f.alpha]))).catch(() => store.remove());
  };
  await new Promise<void>((resolve, reject) => {
    let chain: Promise<void> = Promise.resolve();
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      subscription.unsubscribe();
      reject(error);
    };
    const subscription = (options.frames(budget) as Observable<import('../pipeline/frame').Frame>).subscribe({
      next: (frame) => {
        let grey: ReturnType<typeof greyPlane>;
        try {
          propagator ??= new AlphaPropagator({ ...options, width: frame.width, height: frame.height });
          grey = greyPlane(frame.data, frame.width, frame.height);
          options.onGrey?.(frame.index, grey);
          // Its flow starts now, while the frames before it are still being pushed.
          propagator.ahead(frame.index, grey);
        } catch (error) {
          chain = chain.then(() => fail(error));
          return;
        }
        const settled = propagator;
        chain = chain
          .then(async () => {
            if (failed) return;
            await keep(await settled.push(frame.index, grey));
            budget.releaseThrough(frame.index);
          })
          .catch(fail);
      },
      error: (error: unknown) => {
        chain = chain.then(() => fail(error));
      },
      complete: () => {
        chain = chain
          .then(async () => {
            if (propagator) await keep(await propagator.finish());
            if (!failed) resolve();
          })
          .catch(fail);
      },
    });
  });
  return found;
}
