import { InvalidOptionError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';

/**
 * Returns a copy of `frame` with one more named guide plane (`width * height` bytes); the pixels and
 * the other guides are shared, not copied.
 *
 * @example
 * const guided = withGuide(frame, 'flow-alpha', alpha);
 * guided.guides?.['flow-alpha'] === alpha; // true
 * @throws {InvalidOptionError} when the plane is not `width * height` bytes.
 */
export function withGuide(frame: Frame, name: string, plane: Uint8Array): Frame {
  if (plane.length !== frame.width * frame.height) {
    throw new InvalidOptionError(
      `Expected ${frame.width * frame.height} bytes (${frame.width}x${frame.height}) for guide '${name}' of frame ${frame.index} ` +
        `but received ${plane.length}; compute guides on frames decoded with the same crop.`,
    );
  }
  return Object.freeze({ ...frame, guides: Object.freeze({ ...frame.guides, [name]: plane }) });
}
