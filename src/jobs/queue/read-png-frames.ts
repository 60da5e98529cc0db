import { Observable } from 'rxjs';
import sharp from 'sharp';
import { BadInputError } from '../../pipeline/errors';
import type { FrameBudget } from '../../pipeline/frame-budget';
import { type Frame, makeFrame } from '../../pipeline/frame';

/** One PNG of a frame sequence: its frame index and file. */
export interface PngFrameFile {
  readonly index: number;
  readonly path: string;
}

/**
 * A source of frames read from PNG files in the order given (RGB, and the alpha plane of an RGBA
 * file), paced by `budget` as `decodeVideo` is: it takes a frame's credit as it emits and waits
 * while the budget is exhausted, so a sink that releases them (`encodeVideo`) bounds the memory.
 *
 * @example
 * readPngFrames(files, { fps: 10, budget }).pipe(encodeVideo('out.mp4', { fps: 10, budget }));
 * Emits {@link BadInputError} for a file that is missing or not a PNG.
 */
export function readPngFrames(files: readonly PngFrameFile[], options: { fps: number; budget: FrameBudget }): Observable<Frame> {
  const { budget } = options;
  return new Observable<Frame>((subscriber) => {
    let stopped = false;
    const room = () =>
      new Promise<void>((resolve) => {
        if (!budget.exhausted) return resolve();
        const off = budget.onAvailable(() => {
          off();
          resolve();
        });
      });
    const run = async () => {
      for (const file of files) {
        await room();
        if (stopped) return;
        const frame = await readPng(file, options.fps);
        if (stopped) return;
        budget.take(file.index);
        subscriber.next(frame);
      }
      subscriber.complete();
    };
    run().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
}

async function readPng(file: PngFrameFile, fps: number): Promise<Frame> {
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(file.path).raw().toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw new BadInputError(`Cannot read frame ${file.index} from ${file.path}: ${(cause as Error).message}.`, { path: file.path, cause });
  }
  const { width, height, channels } = decoded.info;
  const pixels = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length);
  if (channels === 3) return makeFrame(file.index, file.index / fps, width, height, pixels);
  const rgb = new Uint8Array(width * height * 3);
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = pixels[i * channels] as number;
    rgb[i * 3 + 1] = pixels[i * channels + 1] as number;
    rgb[i * 3 + 2] = pixels[i * channels + 2] as number;
    alpha[i] = pixels[i * channels + 3] as number;
  }
  return makeFrame(file.index, file.index / fps, width, height, rgb, { alpha });
}
