import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defer, map, mergeMap, type OperatorFunction } from 'rxjs';
import sharp from 'sharp';
import { writeFileAtomic } from '../io/write-file-atomic';
import type { CleanupTracker } from '../pipeline/cleanup-tracker';
import { BadInputError, CancelledError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger } from '../pipeline/validate';
import { interleaveAlpha } from './interleave-alpha';
import { mapFrames } from './map-frames';
import { prepareOutputDir } from './output-path';
import { settleWrites } from './settle-writes';

/** Options of {@link writePngSequence}. */
export interface WritePngSequenceOptions {
  /** PNG zlib level, 0 (fastest, largest) … 9; default 3, a fair balance for frames a person will edit. */
  readonly compressionLevel?: number;
  /** PNG files encoded at once (default 2: sharp works on libuv threads). */
  readonly concurrency?: number;
  /** Write RGBA PNGs with each frame's `alpha` plane (opaque where a frame has none). Default false: RGB. */
  readonly alpha?: boolean;
  /** The budget shared with the source; each frame is released once its file is written. */
  readonly budget?: FrameBudget;
  /** Receives the cleanup of the files being written when the stage is unsubscribed, to await. */
  readonly cleanup?: CleanupTracker;
}

/** Progress of {@link writePngSequence}: one per file, in frame order. */
export interface PngWriteProgress {
  /** The file just written. */
  readonly path: string;
  readonly index: number;
  readonly framesWritten: number;
}

/**
 * The file name of frame `index` in a PNG sequence: six digits, 0-based (`000000.png`); indices
 * past 999999 simply get more digits.
 *
 * @example
 * pngFileName(42); // '000042.png'
 */
export function pngFileName(index: number): string {
  return `${String(index).padStart(6, '0')}.png`;
}

/**
 * A sink that writes each frame to `<dir>/<index, six digits>.png` with sharp, creating `dir` if
 * needed. Each file is written atomically (`writeFileAtomic`: a hidden temporary name, fsync,
 * rename), so no half-written PNG ever has the final name. Files are encoded `concurrency` at a time
 * and reported in frame order. Before an error is passed on, the writes still running have ended and
 * their temporary files are gone; on a plain unsubscribe that cleanup goes to `options.cleanup`.
 *
 * @example
 * decodeVideo('a.mp4', { crop: 400 }).pipe(writePngSequence('frames')).subscribe();
 * @throws {InvalidOptionError} at once for a bad `compressionLevel` or `concurrency`.
 * Emits {@link BadInputError} when `dir` cannot be created or written, {@link OutputError} when a
 * file cannot be written (disk full, no permission).
 */
export function writePngSequence(dir: string, options: WritePngSequenceOptions = {}): OperatorFunction<Frame, PngWriteProgress> {
  const compressionLevel = expectInteger('compressionLevel', options.compressionLevel ?? 3, 0, 9);
  const concurrency = expectInteger('concurrency', options.concurrency ?? 2, 1, 64);
  const { budget } = options;

  return (source) =>
    defer(() => {
      let framesWritten = 0;
      return settleWrites<PngWriteProgress>(
        (writes) =>
          defer(() => prepareOutputDir(dir)).pipe(
            mergeMap(() =>
              source.pipe(
                mapFrames(
                  async (frame) => {
                    const path = await writes.run(() =>
                      writeFramePng(frame, dir, { compressionLevel, alpha: options.alpha, isCancelled: writes.isCancelled }),
                    );
                    return { path, index: frame.index, framesWritten: 0 };
                  },
                  { concurrency },
                ),
              ),
            ),
            map((written) => {
              budget?.releaseThrough(written.index);
              return { ...written, framesWritten: ++framesWritten };
            }),
          ),
        options.cleanup,
      );
    });
}

/**
 * Writes one frame to `<dir>/<index, six digits>.png` atomically (`writeFileAtomic`), so no
 * half-written PNG ever has the final name and no temporary file is left behind. Returns the final
 * path.
 *
 * @example
 * await writeFramePng(frame, 'frames'); // 'frames/000012.png'
 * @throws {OutputError} when the file cannot be written (disk full, no permission, folder missing).
 * @throws {CancelledError} when `isCancelled()` turned true before the file was complete.
 */
export async function writeFramePng(
  frame: Frame,
  dir: string,
  options: { compressionLevel?: number; alpha?: boolean; isCancelled?: () => boolean } = {},
): Promise<string> {
  const path = join(dir, pngFileName(frame.index));
  let png: Buffer;
  try {
    const [pixels, channels] = options.alpha ? ([interleaveAlpha(frame), 4] as const) : ([frame.data, 3] as const);
    png = await sharp(pixels, { raw: { width: frame.width, height: frame.height, channels } })
      .png({ compressionLevel: options.compressionLevel ?? 3 })
      .toBuffer();
  } catch (cause) {
    throw new BadInputError(`Cannot encode frame ${frame.index} as PNG for ${path}: ${(cause as Error).message}.`, { path, cause });
  }
  const checkCancelled = () => {
    if (options.isCancelled?.()) throw new CancelledError(`Writing ${path} was cancelled.`);
  };
  // The file is encoded in memory first so that a failed write carries the system's code (ENOSPC).
  await writeFileAtomic(path, async (temporary) => {
    checkCancelled();
    await writeFile(temporary, png, { flag: 'wx' });
    checkCancelled();
  });
  return path;
}
