import { lastValueFrom, takeWhile, tap } from 'rxjs';
import { FrameBudget } from '../../pipeline/frame-budget';
import { expectInteger } from '../../pipeline/validate';
import type { FrameMapData } from '../../report/write-report';
import { sampleIndices } from '../../report/sample-indices';
import { embedVideo, type EmbedVideoOptions } from '../../select/embed-video';
import { outlierScores } from '../../select/outlier-scores';
import { tsne } from '../../select/tsne';
import { areaAverage } from '../../select/area-average';
import { decodeVideo } from '../../stages/decode-video';

/** Options of {@link frameMapData}. */
export interface FrameMapDataOptions extends EmbedVideoOptions {
  /** Edited frames, marked on the map. */
  readonly picks?: readonly number[];
  /** Held-out IoU of picks (from hold-out validation), shown as the colour of their ring. */
  readonly heldOut?: ReadonlyArray<{ readonly index: number; readonly iou: number }>;
  /** Frames plotted at most (t-SNE is O(n²)): evenly spread, plus every pick and outlier. Default 300. */
  readonly maxPoints?: number;
  /** Side of the thumbnails. Default 160. */
  readonly thumbSize?: number;
}

/**
 * Everything the report's frame map shows for a video: the embeddings (cached, {@link embedVideo}),
 * the outliers ({@link outlierScores}), a t-SNE projection of up to `maxPoints` frames (every pick
 * and outlier among them) and a thumbnail of each plotted frame (from a second decode that
 * shrinks them as they pass).
 *
 * @example
 * const map = await frameMapData('talk.mp4', { picks: [12, 80] });
 * await writeReport('report', { video: 'talk.mp4', samples: [], map });
 * @throws as {@link embedVideo}.
 */
export async function frameMapData(video: string, options: FrameMapDataOptions = {}): Promise<FrameMapData> {
  const maxPoints = expectInteger('maxPoints', options.maxPoints ?? 300, 2, 5000);
  const thumbSize = expectInteger('thumbSize', options.thumbSize ?? 160, 8, 1024);
  const { embeddings, fps, crop } = await embedVideo(video, options);
  const total = embeddings.length;
  const scores = outlierScores(embeddings);
  const picks = new Set(options.picks ?? []);
  const heldOut = new Map((options.heldOut ?? []).map((h) => [h.index, h.iou]));
  const outliers = scores.filter((s) => s.outlier).sort((a, b) => b.score - a.score).slice(0, 50).map((s) => s.index);
  const marked = [...new Set([...picks, ...heldOut.keys(), ...outliers])].filter((i) => i < total);
  const shown =
    total <= maxPoints
      ? [...Array(total).keys()]
      : [...new Set([...sampleIndices(total, Math.max(2, maxPoints - marked.length)), ...marked])].sort((a, b) => a - b);
  const xy = tsne(shown.map((i) => embeddings[i]!));
  const thumbnails = await thumbnailsOf(video, shown, thumbSize, { fps, crop, signal: options.signal });
  const points = shown.map((index, k) => ({
    index,
    x: xy[k]![0],
    y: xy[k]![1],
    timeSec: index / fps,
    score: scores[index]!.score,
    ...(picks.has(index) || heldOut.has(index) ? { pick: true } : {}),
    ...(scores[index]!.outlier ? { outlier: true } : {}),
    ...(heldOut.has(index) ? { heldOutIoU: heldOut.get(index)! } : {}),
  }));
  const note =
    `${shown.length} of ${total} frames${shown.length < total ? ' (evenly spread, plus every pick and outlier)' : ''}; ` +
    `${outliers.length} outlier${outliers.length === 1 ? '' : 's'}, ${picks.size} edited pick${picks.size === 1 ? '' : 's'}.`;
  return { points, thumbnails, totalFrames: total, note };
}

/** Thumbnails of the given frames from one decode, each shrunk as it passes, so memory stays flat. */
async function thumbnailsOf(
  video: string,
  indices: readonly number[],
  size: number,
  options: { fps: number; crop: number; signal?: AbortSignal },
): Promise<Map<number, Thumbnail>> {
  const wanted = new Set(indices);
  const last = Math.max(...indices);
  const budget = new FrameBudget(16);
  const thumbnails = new Map<number, Thumbnail>();
  await lastValueFrom(
    decodeVideo(video, { ...options, budget }).pipe(
      tap((frame) => {
        if (wanted.has(frame.index)) thumbnails.set(frame.index, { data: Uint8Array.from(areaAverage(frame, size, size), Math.round), width: size, height: size });
        budget.releaseThrough(frame.index);
      }),
      takeWhile((frame) => frame.index < last),
    ),
    { defaultValue: undefined },
  );
  return thumbnails;
}

interface Thumbnail {
  data: Uint8Array;
  width: number;
  height: number;
}
