import { readFile } from 'node:fs/promises';
import { dirname, resolve, basename } from 'node:path';
import sharp from 'sharp';
import { BadInputError } from '../pipeline/errors';
import { DEFAULT_CROP, DEFAULT_FPS } from '../pipeline/default-sampling';
import { parsePicks, PickSpec } from './parse-picks';

/** A pick with its edited image decoded: the training target for one frame. */
export interface Pick extends PickSpec {
  /** Absolute path of the edited image. */
  readonly imagePath: string;
  /** The edited image as packed RGB24, `size * size * 3` bytes. */
  readonly target: Uint8Array;
}

/** Options of {@link loadPicks}. */
export interface LoadPicksOptions {
  /** Sampling rate the frame numbers refer to. Default {@link DEFAULT_FPS} (10). */
  readonly fps?: number;
  /** Number of frames the video yields at `fps`; a pick at or past it is an error. */
  readonly frameCount?: number;
  /** Side of the square edited images (the crop). Default {@link DEFAULT_CROP} (400). */
  readonly size?: number;
}

/**
 * Reads a picks file and decodes every edited image, checking each against the video and the crop
 * before any long work starts. Paths are relative to the picks file.
 *
 * @example
 * const picks = await loadPicks('picks.txt', { frameCount: 1185 });
 * @throws {BadInputError} for a missing or unreadable picks file, a malformed line, a frame past the
 *   end of the video, a duplicate frame, a missing, unreadable or wrongly sized image, or no pairs.
 */
export async function loadPicks(path: string, options: LoadPicksOptions = {}): Promise<Pick[]> {
  const fps = options.fps ?? DEFAULT_FPS;
  const size = options.size ?? DEFAULT_CROP;
  const source = basename(path);
  const text = await readText(path);
  const specs = parsePicks(text, { fps, source });

  if (options.frameCount !== undefined) {
    for (const spec of specs) {
      if (spec.frame >= options.frameCount) {
        throw new BadInputError(
          `${source} line ${spec.line}: frame ${spec.frame} is past the end of the video ` +
            `(${options.frameCount} frames at ${fps} fps, numbered 0 to ${options.frameCount - 1}).`,
          { path },
        );
      }
    }
  }

  const folder = dirname(resolve(path));
  return Promise.all(specs.map((spec) => loadImage(spec, resolve(folder, spec.image), size, source)));
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new BadInputError(`Picks file ${path} ${why}. Pass a text file of '<frame> <edited image>' lines.`, {
      cause,
      path,
    });
  }
}

async function loadImage(spec: PickSpec, imagePath: string, size: number, source: string): Promise<Pick> {
  const where = `${source} line ${spec.line}`;
  let bytes: Buffer;
  try {
    bytes = await readFile(imagePath);
  } catch (cause) {
    throw new BadInputError(`${where}: edited image ${imagePath} does not exist or cannot be read.`, {
      cause,
      path: imagePath,
    });
  }
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw new BadInputError(`${where}: edited image ${imagePath} is not a readable PNG or JPEG.`, {
      cause,
      path: imagePath,
    });
  }
  const { width, height, channels } = decoded.info;
  if (width !== size || height !== size) {
    throw new BadInputError(
      `${where}: edited image ${imagePath} is ${width}x${height}, but edited frames must be ${size}x${size} ` +
        "(the crop that 'vidgan extract' writes). Edit the extracted frame without resizing it.",
      { path: imagePath },
    );
  }
  const target = channels === 3 ? new Uint8Array(decoded.data) : toRgb(decoded.data, channels);
  return { ...spec, imagePath, target };
}

function toRgb(data: Buffer, channels: number): Uint8Array {
  const pixels = data.length / channels;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const v = data[p * channels]!;
    out[p * 3] = channels === 1 ? v : data[p * channels]!;
    out[p * 3 + 1] = channels === 1 ? v : data[p * channels + 1]!;
    out[p * 3 + 2] = channels === 1 ? v : data[p * channels + 2]!;
  }
  return out;
}
