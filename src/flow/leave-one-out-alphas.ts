import { Observable } from 'rxjs';
import { FrameBudget } from '../pipeline/frame-budget';
import { AlphaPropagator, type PropagatedAlpha } from './alpha-propagator';
import { greyPlane } from './grey-plane';
import type { PropagateAlphaOptions } from './propagate-alpha';

/**
 * For every pick, the alpha that propagation carries to it from the OTHER picks (forward from the
 * previous pick, backward from the next, blended by distance; never its own edit): the `flow-alpha`
 * guide to train a picked frame with, so the generator learns to correct propagation's errors
 * rather than to copy its guide. One pass over the frames; memory as in {@link propagateAlpha}, plus
 * one plane per pick.
 *
 * @example
 * const loo = await leaveOneOutAlphas({ picks, frames: (b) => decodeVideo(input, { fps: 10, crop: 400, budget: b }) });
 * loo.get(120)?.alpha; // frame 120's guide for training
 * @throws {InvalidOptionError} for a bad cap or threshold.
 * Rejects with {@link EngineError} when the flow fails, and with the pass's own errors.
 */
export async function leaveOneOutAlphas(options: PropagateAlphaOptions): Promise<Map<number, PropagatedAlpha>> {
  const budget = new FrameBudget(4);
  const found = new Map<number, PropagatedAlpha>();
  let propagator: AlphaPropagator | undefined;
  const keep = (alphas: PropagatedAlpha[]) => alphas.forEach((alpha) => found.set(alpha.index, alpha));
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
            keep((await settled.push(frame.index, grey)).leaveOneOut);
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
            if (propagator) keep((await propagator.finish()).leaveOneOut);
            if (!failed) resolve();
          })
          .catch(fail);
      },
    });
  });
  return found;
}
