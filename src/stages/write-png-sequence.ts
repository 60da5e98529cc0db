import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defer, finalize, map, mergeMap, type OperatorFunction } from 'rxjs';
import sharp from 'sharp';
import { BadInputError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger } from '../pipeline/validate';
import { mapFrames } from './map-frames';
import { prepareOutputDir } from './output-path';

/** Options of {@link writePngSequence}. */
export interface WritePngSequenceOptions {
  /** PNG zlib level, 0 (fastest, largest) … 9; default 3, a fair balance for frames a person will edit. */
  readonly compressionLevel?: number;
  /** PNG files encoded at once (default 2: sharp works on libuv threads). */
  readonly concurrency?: number;
  /** The budget shared with the source; each frame is released once its file is written. */
  readonly budget?: FrameBudget;
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
 * needed. Each file is written under `<name>.partial` and renamed, so no half-written PNG ever has
 * the final name. Files are encoded `concurrency` at a time and reported in frame order.
 *
 * @example
 * decodeVideo('a.mp4', { crop: 400 }).pipe(writePngSequence('frames')).subscribe();
 * @throws {InvalidOptionError} at once for a bad `compressionLevel` or `concurrency`.
 * Emits {@link BadInputError} when `dir` cannot be created or written.
 */
export function writePngSequence(dir: string, options: WritePngSequenceOptions = {}): OperatorFunction<Frame, PngWriteProgress> {
  const compressionLevel = expectInteger('compressionLevel', options.compressionLevel ?? 3, 0, 9);
  const concurrency = expectInteger('concurrency', options.concurrency ?? 2, 1, 64);
  const { budget } = options;

  return (source) =>
    defer(() => {
      let cancelled = false;
      let framesWritten = 0;
      const writeOne = async (frame: Frame): Promise<PngWriteProgress> => {
        const path = await writeFramePng(frame, dir, { compressionLevel, isCancelled: () => cancelled });
        return { path, index: frame.index, framesWritten: 0 };
      };
      return defer(() => prepareOutputDir(dir)).pipe(
        mergeMap(() => source.pipe(mapFrames(writeOne, { concurrency }))),
        map((written) => {
          budget?.releaseThrough(written.index);
          return { ...written, framesWritten: ++framesWritten };
        }),
        finalize(() => {
          cancelled = true;
        }),
      );
    });
}

/**
 * Writes one frame to `<dir>/<index, six digits>.png` under a `.partial` name first, then renames it,
 * so no half-written PNG ever has the final name. Returns the final path.
 *
 * @example
 * await writeFramePng(frame, 'frames'); // 'frames/000012.png'
 * @throws {BadInputError} when the file cannot be written.
 */
export async function writeFramePng(
  frame: Frame,
  dir: string,
  options: { compressionLevel?: number; isCancelled?: () => boolean } = {},
): Promise<string> {
  const path = join(dir, pngFileName(frame.index));
  const temporary = `${path}.partial`;
  try {
    await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
      .png({ compressionLevel: options.compressionLevel ?? 3 })
      .toFile(temporary);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw new BadInputError(`Cannot write ${path}: ${(cause as Error).message}. Check the free space and permissions of ${dir}.`, {
      path,
      cause,
    });
  }
  if (options.isCancelled?.()) {
    await rm(temporary, { force: true });
  } else {
    await rename(temporary, path);
  }
  return path;
}
