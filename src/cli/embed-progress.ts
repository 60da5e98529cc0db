import { progressBar } from './format-duration';
import { statusLine } from './status-line';

/**
 * A status line for the embedding pass of `suggest`, `outliers` and `similar` (shown on a terminal
 * only): pass `draw` as `onProgress` and call `end` when done.
 *
 * @example
 * const progress = embedProgress();
 * await findOutliers({ video, onProgress: progress.draw }).finally(progress.end);
 */
export function embedProgress(): { draw: (done: number, total: number | undefined) => void; end: () => void } {
  const line = statusLine();
  return {
    draw: (done, total) => line.draw(total ? `embedding ${progressBar(done / total)} ${done}/${total} frames` : `embedding: ${done} frames`),
    end: () => line.end(),
  };
}
