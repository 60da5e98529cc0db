import { concatMap } from 'rxjs';
import type { PlaneStore } from '../io/plane-store';
import { BadInputError } from '../pipeline/errors';
import type { FrameStage } from '../pipeline/frame-stage';
import { withGuide } from './with-guide';

/**
 * A stage that attaches to each frame the planes an earlier pass over the same video kept in `store`
 * ({@link keepPlanes}, or {@link leaveOneOutAlphas} with a store), as `frame.guides[names[k]]` for the
 * k-th plane kept; an entry with fewer planes than names attaches the ones it has.
 *
 * @example
 * decodeVideo(video, { crop: 400, budget }).pipe(attachStoredPlanes(store, ['person-prior']), generate(model));
 * Emits {@link BadInputError} for a frame the store has nothing for (a stream of another video, fps or crop).
 */
export function attachStoredPlanes(store: PlaneStore, names: readonly string[]): FrameStage {
  return concatMap(async (frame) => {
    const planes = await store.get(frame.index);
    if (planes === undefined) {
      throw new BadInputError(
        `No ${names.join(' or ')} plane was kept for frame ${frame.index} (${store.size} frames kept); ` +
          'stream the same input, fps and crop as the pass that filled the store.',
      );
    }
    return planes.reduce((out, plane, k) => (k < names.length ? withGuide(out, names[k]!, plane) : out), frame);
  });
}
