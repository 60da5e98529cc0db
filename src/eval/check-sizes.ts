import { InvalidOptionError } from '../pipeline/errors';

/**
 * Throws unless two buffers have the same, non-zero length (internal helper of the metrics).
 *
 * @example
 * checkSameLength('psnr', a, b);
 * @throws {InvalidOptionError} when the lengths differ or are zero.
 */
export function checkSameLength(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new InvalidOptionError(
      `Expected ${name} to compare buffers of equal length but received ${a.length} and ${b.length} bytes; ` +
        'compare frames of the same size (crop or resize one of them first).',
    );
  }
  if (a.length === 0) {
    throw new InvalidOptionError(`Expected ${name} to compare non-empty buffers but received 0 bytes.`);
  }
}

/**
 * Throws unless `data` holds exactly `width * height * channels` values.
 *
 * @example
 * checkImageSize('ssim image', rgb, 400, 400, 3);
 * @throws {InvalidOptionError} when the length does not match the size.
 */
export function checkImageSize(
  name: string,
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
): void {
  const expected = width * height * channels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== expected) {
    throw new InvalidOptionError(
      `Expected ${expected} values (${width}x${height}x${channels}) for ${name} but received ${data.length}.`,
    );
  }
}
