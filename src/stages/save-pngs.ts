import { defer, mergeMap, type OperatorFunction } from 'rxjs';
import type { CleanupTracker } from '../pipeline/cleanup-tracker';
import type { Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';
import { mapFrames } from './map-frames';
import { prepareOutputDir } from './output-path';
import { settleWrites } from './settle-writes';
import { writeFramePng } from './write-png-sequence';

/** Options of {@link savePngs}. */
export interface SavePngsOptions {
  /** PNG files encoded at once (default 2). */
  readonly concurrency?: number;
  /** Write RGBA PNGs with each frame's `alpha` plane (opaque where a frame has none). Default false: RGB. */
  readonly alpha?: boolean;
  /** PNG zlib level, 0 … 9; default 3. */
  readonly compressionLevel?: number;
  /** Receives the cleanup of the files being written when the stage is unsubscribed, to await. */
  readonly cleanup?: CleanupTracker;
}

/**
 * A pass-through stage that also writes each frame to `<dir>/<index, six digits>.png`, for a graph
 * that both encodes a video and keeps the frames (`vidgan process --frames-out`). Frames come out in
 * order once their file is written. Files are written atomically; before an error is passed on, the
 * writes still running have ended and their temporary files are gone, and on a plain unsubscribe that
 * cleanup goes to `options.cleanup`.
 *
 * @example
 * frames.pipe(savePngs('out-frames'), encodeVideo('out.mp4', { budget }));
 * @throws {InvalidOptionError} for a bad `concurrency` or `compressionLevel`.
 * Emits {@link BadInputError} when `dir` cannot be created or written, {@link OutputError} when a
 * file cannot be written (disk full, no permission).
 */
export function savePngs(dir: string, options: SavePngsOptions = {}): OperatorFunction<Frame, Frame> {
  const concurrency = expectInteger('concurrency', options.concurrency ?? 2, 1, 64);
  const compressionLevel = expectInteger('compressionLevel', options.compressionLevel ?? 3, 0, 9);
  return (source) =>
    settleWrites(
      (writes) =>
        defer(() => prepareOutputDir(dir)).pipe(
          mergeMap(() =>
            source.pipe(
              mapFrames(
                async (frame) => {
                  await writes.run(() => writeFramePng(frame, dir, { compressionLevel, alpha: options.alpha, isCancelled: writes.isCancelled }));
                  return frame;
                },
                { concurrency },
              ),
            ),
          ),
        ),
      options.cleanup,
    );
}
