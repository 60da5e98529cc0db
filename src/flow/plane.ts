import { InvalidOptionError } from '../pipeline/errors';

/** One 8-bit channel of a frame (grey, alpha), row-major, `width * height` bytes. */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * A dense flow field: for pixel (x, y), `data[2 * (y * width + x)]` is dx and the next value dy, in
 * pixels. Made by {@link computeFlow}: a pixel x of `prev` lies at x + flow(x) in `next`.
 */
export interface FlowField {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/**
 * Throws unless `plane` holds `width * height` bytes of a positive integer size.
 *
 * @example
 * checkPlane('computeFlow prev', prev);
 * @throws {InvalidOptionError} when the size is not a positive integer or the data length does not match it.
 */
export function checkPlane(name: string, plane: Plane): void {
  const { width, height, data } = plane;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || Object.prototype.toString.call(data) !== '[object Uint8Array]') {
    throw new InvalidOptionError(`Expected ${name} to be a Uint8Array plane of positive integer size but received ${width}x${height}.`);
  }
  if (data.length !== width * height) {
    throw new InvalidOptionError(`Expected ${width * height} bytes (${width}x${height}) for ${name} but received ${data.length}.`);
  }
}

/**
 * Throws unless two planes (or a plane and a flow field) have the same size.
 *
 * @example
 * checkSameSize('warpPlane', plane, flow);
 * @throws {InvalidOptionError} when the sizes differ.
 */
export function checkSameSize(name: string, a: { width: number; height: number }, b: { width: number; height: number }): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new InvalidOptionError(
      `Expected ${name} to get planes of one size but received ${a.width}x${a.height} and ${b.width}x${b.height}; ` +
        'decode both with the same crop.',
    );
  }
}
