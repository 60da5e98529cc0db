import type { PlaneStore } from '../io/plane-store';
import type { FrameStage } from '../pipeline/frame-stage';
import { attachStoredPlanes } from './attach-stored-planes';
import { FLOW_ALPHA_GUIDE, FLOW_VETO_PLANE } from './propagate-alpha';

/**
 * A stage that attaches to each frame the propagated alpha (and veto) a pass over the same video kept
 * in `store` ({@link leaveOneOutAlphas} with `store`): the same planes {@link propagateAlpha} would
 * compute, as `frame.guides['flow-alpha']` (and `'flow-veto'`), read from disk instead of decoding the
 * video a second time and computing its flows again.
 *
 * @example
 * await leaveOneOutAlphas({ picks, vetoes, frames, store });
 * decodeVideo(input, { fps: 10, crop: 400, budget }).pipe(attachStoredAlpha(store), applyPriorVeto(), generate(model));
 * Emits {@link BadInputError} for a frame the store has nothing for (a stream of another video, fps or crop).
 */
export function attachStoredAlpha(store: PlaneStore): FrameStage {
  return attachStoredPlanes(store, [FLOW_ALPHA_GUIDE, FLOW_VETO_PLANE]);
}
