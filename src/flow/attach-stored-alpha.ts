import { concatMap } from 'rxjs';
import type { PlaneStore } from '../io/plane-store';
import { BadInputError } from '../pipeline/errors';
import type { FrameStage } from '../pipeline/frame-stage';
import { FLOW_ALPHA_GUIDE, FLOW_VETO_PLANE } from './propagate-alpha';
import { withGuide } from './with-guide';

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
  return concatMap(async (frame) => {
    const planes = await store.get(frame.index);
    if (planes === undefined) {
      throw new BadInputError(
        `attachStoredAlpha: no propagated alpha was kept for frame ${frame.index} (${store.size} frames kept); ` +
          'stream the same input, fps and crop as the pass that filled the store.',
      );
    }
    const [alpha, veto] = planes;
    const withAlpha = withGuide(frame, FLOW_ALPHA_GUIDE, alpha!);
    return veto === undefined ? withAlpha : withGuide(withAlpha, FLOW_VETO_PLANE, veto);
  });
}
