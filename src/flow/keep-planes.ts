import { concatMap } from 'rxjs';
import type { PlaneStore } from '../io/plane-store';
import type { FrameStage } from '../pipeline/frame-stage';

/**
 * A stage that keeps each frame's named guide planes in `store`, by frame index, as the frames pass
 * unchanged: a later pass over the same frames reads them back ({@link attachStoredPlanes}) instead of
 * computing them again. A frame lacking one of the planes keeps nothing. The store only saves later
 * work: one that cannot be written (a full disk) is removed and the frames go on.
 *
 * @example
 * decodeVideo(video, { crop: 400, budget }).pipe(personPrior(prior), keepPlanes(store, ['person-prior']), …);
 */
export function keepPlanes(store: PlaneStore, names: readonly string[]): FrameStage {
  return concatMap(async (frame) => {
    const planes = names.map((name) => frame.guides?.[name]);
    if (store.usable && planes.every((plane) => plane !== undefined)) {
      await store.put(frame.index, planes as Uint8Array[]).catch(() => store.remove());
    }
    return frame;
  });
}
