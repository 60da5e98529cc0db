import { InvalidOptionError } from '../pipeline/errors';

/**
 * Throws unless `rgb` holds `width * height * 3` bytes of a positive integer size.
 *
 * @example
 * checkImageSizeOfRgb('greyPlane', frame.data, frame.width, frame.height);
 * @throws {InvalidOptionError} when it does not.
 */
export function checkImageSizeOfRgb(name: string, rgb: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || rgb.length !== width * height * 3) {
    throw new InvalidOptionError(`Expected ${width * height * 3} bytes (${width}x${height}x3) for ${name} but received ${rgb.length}.`);
  }
}
