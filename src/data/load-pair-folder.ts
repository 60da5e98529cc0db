import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { BadInputError } from '../pipeline/errors';
import type { ImagePair } from './image-pair';

const IMAGE = /\.(png|jpe?g)$/i;

/**
 * Reads a user's folder of (photo, edited photo) training pairs, in either of two layouts:
 *
 * - `input/NAME.png` and `target/NAME.png`: matched by file name;
 * - pix2pix's `AB` layout: each image is the photo and its edit side by side (width = 2 x height),
 *   as the published study's 118 pairs were stored.
 *
 * @example
 * const pairs = await loadPairFolder('my-pairs');
 * @throws {BadInputError} when the folder is missing or empty, a pair lacks its other half, an image is
 *   unreadable, or the two halves differ in size.
 */
export async function loadPairFolder(dir: string): Promise<ImagePair[]> {
  const names = await list(dir);
  if (names.includes('input') && names.includes('target')) {
    const inputs = (await list(join(dir, 'input'))).filter((n) => IMAGE.test(n)).sort();
    const targets = new Set((await list(join(dir, 'target'))).filter((n) => IMAGE.test(n)));
    const missing = inputs.filter((n) => !targets.has(n));
    if (missing.length > 0) {
      throw new BadInputError(`${join(dir, 'target')} has no edited image for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}. Each input/NAME needs a target/NAME.`, { path: dir });
    }
    const pairs = await Promise.all(inputs.map((n) => readPair(join(dir, 'input', n), join(dir, 'target', n))));
    return nonEmpty(pairs, dir);
  }
  const images = names.filter((n) => IMAGE.test(n)).sort();
  return nonEmpty(await Promise.all(images.map((n) => readSideBySide(join(dir, n)))), dir);
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (cause) {
    throw new BadInputError(`Pairs folder ${dir} cannot be read (${(cause as NodeJS.ErrnoException).code}). Pass a folder with input/ and target/ subfolders, or of side-by-side AB images.`, { cause, path: dir });
  }
}

function nonEmpty(pairs: ImagePair[], dir: string): ImagePair[] {
  if (pairs.length === 0) {
    throw new BadInputError(`Pairs folder ${dir} holds no PNG or JPEG pairs. Put input/NAME.png with target/NAME.png, or side-by-side AB images, in it.`, { path: dir });
  }
  return pairs;
}

async function readRgb(path: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  try {
    const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data), width: info.width, height: info.height };
  } catch (cause) {
    throw new BadInputError(`${path} is not a readable PNG or JPEG.`, { cause, path });
  }
}

async function readPair(inputPath: string, targetPath: string): Promise<ImagePair> {
  const [input, target] = await Promise.all([readRgb(inputPath), readRgb(targetPath)]);
  if (input.width !== target.width || input.height !== target.height) {
    throw new BadInputError(`${inputPath} is ${input.width}x${input.height} but ${targetPath} is ${target.width}x${target.height}; a pair must share one size.`, { path: targetPath });
  }
  return { input: input.data, target: target.data, width: input.width, height: input.height };
}

async function readSideBySide(path: string): Promise<ImagePair> {
  const image = await readRgb(path);
  if (image.width % 2 !== 0 || image.width / 2 < 16) {
    throw new BadInputError(`${path} is ${image.width}x${image.height}: an AB pair image must hold two halves of equal width side by side.`, { path });
  }
  const width = image.width / 2;
  const input = new Uint8Array(width * image.height * 3);
  const target = new Uint8Array(width * image.height * 3);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width * 3;
    input.set(image.data.subarray(row, row + width * 3), y * width * 3);
    target.set(image.data.subarray(row + width * 3, row + image.width * 3), y * width * 3);
  }
  return { input, target, width, height: image.height };
}
