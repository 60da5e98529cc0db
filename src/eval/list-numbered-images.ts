import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BadInputError } from '../pipeline/errors';
import { frameNumberOf } from './frame-number';

/** Image files that {@link listNumberedImages} considers, by extension (lower case). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

/**
 * The numbered images of a folder by frame index ({@link frameNumberOf}): `000123.png` and `00123.png`
 * are both frame 123. Files that are not PNG/JPEG, or hold no number, are ignored.
 *
 * @example
 * const outputs = await listNumberedImages('frames'); // Map { 0 => 'frames/000000.png', … }
 * @throws {BadInputError} when the folder cannot be read, or two files name the same frame.
 */
export async function listNumberedImages(dir: string, what = 'folder'): Promise<Map<number, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
    throw new BadInputError(`The ${what} ${dir} ${why}. Pass a folder of numbered PNG or JPEG images (000123.png).`, {
      cause,
      path: dir,
    });
  }
  const files = new Map<number, string>();
  for (const name of names.sort()) {
    const dot = name.lastIndexOf('.');
    if (dot < 0 || !IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase())) continue;
    const index = frameNumberOf(name);
    if (index === undefined) continue;
    const earlier = files.get(index);
    if (earlier !== undefined) {
      throw new BadInputError(
        `The ${what} ${dir} holds two images of frame ${index}: ${earlier.split(/[\\/]/).pop()} and ${name}. Keep one.`,
        { path: dir },
      );
    }
    files.set(index, join(dir, name));
  }
  return new Map([...files].sort((a, b) => a[0] - b[0]));
}
