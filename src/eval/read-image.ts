import sharp from 'sharp';
import { BadInputError } from '../pipeline/errors';

/** A decoded image: packed pixels with their size. */
export interface DecodedImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Reads a PNG or JPEG as packed RGB24 (alpha dropped, grey expanded to three channels).
 *
 * @example
 * const { data, width, height } = await readRgbImage('edited/000012.png');
 * @throws {BadInputError} when the file is missing or not a readable image.
 */
export async function readRgbImage(path: string): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (cause) {
    throw new BadInputError(`Image ${path} is missing or not a readable PNG or JPEG.`, { cause, path });
  }
}

/**
 * Reads a mask image as one byte per pixel (its luma: 0 = background, 255 = foreground; alpha is
 * dropped), the layout of vidgan's masks.
 *
 * @example
 * const mask = await readMaskImage('masks/00012.png');
 * @throws {BadInputError} when the file is missing or not a readable image.
 */
export async function readMaskImage(path: string): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(path).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (cause) {
    throw new BadInputError(`Mask ${path} is missing or not a readable PNG or JPEG.`, { cause, path });
  }
}
