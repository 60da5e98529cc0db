import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { BadInputError } from '../../pipeline/errors';

/** File extensions a folder is searched for (lower case, with the dot). */
export const VIDEO_EXTENSIONS: readonly string[] = ['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.mpg', '.mpeg', '.ts', '.wmv', '.flv'];

/**
 * Whether a file name has one of the {@link VIDEO_EXTENSIONS} (any case).
 *
 * @example isVideoFileName('Week 1.MOV'); // true
 */
export function isVideoFileName(name: string): boolean {
  return VIDEO_EXTENSIONS.includes(extname(name).toLowerCase());
}

/**
 * Whether `text` holds glob characters (`*`, `?` or `[`).
 *
 * @example hasGlob('talks/*.mp4'); // true
 */
export function hasGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * A RegExp for a file-name glob: `*` any characters, `?` one character, `[abc]`/`[a-z]` a class;
 * everything else literal. Matches whole names, never across `/`.
 *
 * @example globToRegExp('week-?.mp4').test('week-3.mp4'); // true
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) source += '\\[';
      else {
        const inner = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${inner.startsWith('!') ? `^${inner.slice(1)}` : inner}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * The videos named by command-line arguments, absolute, in argument order (each folder's and
 * glob's matches sorted by name), without duplicates: a file is taken as is; a folder gives the
 * video files directly in it ({@link VIDEO_EXTENSIONS}); a glob such as `talks/week-*.mp4` matches
 * file names in its folder (glob characters only in the last path segment).
 *
 * @example
 * await expandVideos(['talks/', 'extra/*.mov']);
 * @throws {BadInputError} when an argument names nothing, or a folder or glob matches no video.
 */
export async function expandVideos(patterns: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const path of await expandOne(pattern)) if (!found.includes(path)) found.push(path);
  }
  return found;
}

async function expandOne(pattern: string): Promise<string[]> {
  const kind = await stat(pattern).then(
    (s) => (s.isDirectory() ? 'dir' : 'file'),
    () => 'none',
  );
  if (kind === 'file') return [resolve(pattern)];
  if (kind === 'dir') {
    const names = (await readdir(pattern, { withFileTypes: true })).filter((e) => e.isFile() && isVideoFileName(e.name)).map((e) => e.name);
    if (names.length === 0) {
      throw new BadInputError(`The folder ${pattern} holds no video files (${VIDEO_EXTENSIONS.join(' ')}). Name the videos or another folder.`, { path: pattern });
    }
    return names.sort().map((name) => resolve(pattern, name));
  }
  if (!hasGlob(pattern)) throw new BadInputError(`${pattern} does not exist. Name a video file, a folder of videos, or a glob such as 'talks/*.mp4'.`, { path: pattern });
  const dir = dirname(pattern);
  if (hasGlob(dir)) throw new BadInputError(`${pattern}: glob characters are only understood in the file name, not in folders. Let the shell expand it, or name each folder.`, { path: pattern });
  const regex = globToRegExp(basename(pattern));
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isFile() && regex.test(e.name)).map((e) => e.name);
  if (names.length === 0) throw new BadInputError(`${pattern} matches no file. Check the pattern and the folder ${dir}.`, { path: pattern });
  return names.sort().map((name) => resolve(join(dir, name)));
}
