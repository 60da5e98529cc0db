import { access, constants, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { temporaryPathFor } from '../io/write-file-atomic';
import { BadInputError, OutputExistsError } from '../pipeline/errors';

/**
 * A fresh temporary name an output is written under until it is complete, in the same folder so the
 * final rename is atomic. It is unique and starts with a dot (see `temporaryPathFor`), so it can never
 * be a real output such as `talk.partial.mp4`, nor another run's temporary file; the extension stays
 * last so tools that look at it still see the container.
 *
 * @example
 * partialPathFor('out/clip.mp4'); // 'out/.clip.mp4.4711.a1b2c3d4.tmp.mp4'
 */
export function partialPathFor(path: string): string {
  return temporaryPathFor(path, `.tmp${extname(path)}`);
}

/**
 * Creates `dir` (and its parents) if needed and checks it can be written: by its permissions, and by
 * creating and removing a file there, since the permissions do not tell every refusal: `access` lets
 * root through into folders that take no files, such as /proc. A job finds out before its work, not
 * at its first checkpoint.
 *
 * @example
 * await prepareOutputDir('frames');
 * @throws {BadInputError} when the folder cannot be created or written.
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await access(dir, constants.W_OK);
    await probeWrite(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new BadInputError(
      `Cannot write to output folder ${dir} (${code}). Choose a folder you can write to, or fix its permissions.`,
      { path: dir, cause },
    );
  }
}

/** Creates and removes an empty file in `dir`, under a name no output or other run uses. */
async function probeWrite(dir: string): Promise<void> {
  const probe = temporaryPathFor(join(dir, 'vidgan-write-check'));
  const handle = await open(probe, 'wx');
  await handle.close();
  await rm(probe, { force: true });
}

/**
 * Prepares to write the file `path`: its folder must be writable and, unless `overwrite`, the file
 * must not exist yet.
 *
 * @example
 * await prepareOutputFile('out/clip.mp4', { overwrite: false });
 * @throws {BadInputError} when the folder cannot be written.
 * @throws {OutputExistsError} when the file exists and `overwrite` is false.
 */
export async function prepareOutputFile(path: string, options: { overwrite: boolean }): Promise<void> {
  await prepareOutputDir(dirname(path));
  if (options.overwrite) return;
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new OutputExistsError(`${path} already exists. Remove it, choose another name, or pass overwrite.`);
}

/**
 * Prepares to write a sequence of PNG files into `dir`: the folder is created and must be writable
 * and, unless `overwrite`, must not hold PNG files yet (another run's frames, or edited picks).
 *
 * @example
 * await prepareOutputFolder('out/frames', { overwrite: false });
 * @throws {BadInputError} when the folder cannot be created or written.
 * @throws {OutputExistsError} when it holds PNG files and `overwrite` is false.
 */
export async function prepareOutputFolder(dir: string, options: { overwrite: boolean }): Promise<void> {
  await prepareOutputDir(dir);
  if (options.overwrite) return;
  const pngs = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.png'));
  if (pngs.length > 0) {
    throw new OutputExistsError(`${dir} already holds ${pngs.length} PNG files (e.g. ${pngs[0]}). Choose an empty folder, or pass overwrite.`);
  }
}
