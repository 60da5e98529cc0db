import { defer, mergeMap, type OperatorFunction } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';
import { mapFrames } from './map-frames';
import { prepareOutputDir } from './output-path';
import { writeFramePng } from './write-png-sequence';

/**
 * A pass-through stage that also writes each frame to `<dir>/<index, six digits>.png`, for a graph
 * that both encodes a video and keeps the frames (`vidgan process --frames-out`). Frames come out in
 * order once their file is written.
 *
 * @example
 * frames.pipe(savePngs('out-frames'), encodeVideo('out.mp4', { budget }));
 * @throws {InvalidOptionError} for a bad `concurrency`.
 * Emits {@link BadInputError} when `dir` cannot be created or written.
 */
export function savePngs(dir: string, options: { concurrency?: number; compressionLevel?: number } = {}): OperatorFunction<Frame, Frame> {
  const concurrency = expectInteger('concurrency', options.concurrency ?? 2, 1, 64);
  const compressionLevel = expectInteger('compressionLevel', options.compressionLevel ?? 3, 0, 9);
  return (source) =>
    defer(() => prepareOutputDir(dir)).pipe(
      mergeMap(() =>
        source.pipe(
          mapFrames(
            async (frame) => {
              await writeFramePng(frame, dir, { compressionLevel });
              return frame;
            },
            { concurrency },
          ),
        ),
      ),
    );
}
