import type { HoldoutReport } from '../../report/holdout-report';
import type { FrameMapData } from '../../report/write-report';
import { frameMapData } from './frame-map-data';
import { readPickSpecs } from './read-pick-specs';

/**
 * The frame map of a processing run's report: the picks of its picks file marked, and the held-out
 * IoU of each pick that hold-out validation scored.
 *
 * @example
 * const map = await reportFrameMap({ video: 'talk.mp4', picks: 'picks.txt', fps: 10, crop: 400 }, holdout);
 * @throws as {@link frameMapData}, and BadInputError for an unreadable picks file.
 */
export async function reportFrameMap(
  run: { readonly video: string; readonly picks?: string; readonly fps: number; readonly crop: number; readonly signal?: AbortSignal },
  holdout?: HoldoutReport,
): Promise<FrameMapData> {
  const picks = run.picks === undefined ? [] : (await readPickSpecs(run.picks, run.fps)).map((p) => p.frame);
  const heldOut = (holdout?.perFrame ?? []).filter((s) => s.iou !== undefined).map((s) => ({ index: s.index, iou: s.iou! }));
  return frameMapData(run.video, { picks, heldOut, fps: run.fps, crop: run.crop, signal: run.signal });
}
