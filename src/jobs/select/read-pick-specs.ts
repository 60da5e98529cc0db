import { readFile } from 'node:fs/promises';
import { parsePicks, type PickSpec } from '../../drill/parse-picks';
import { BadInputError } from '../../pipeline/errors';

/**
 * Reads and parses a picks file without loading its images (they may not be edited yet): for
 * `suggest --add`, `outliers --picks` and the report's map, which need only the frames.
 *
 * @example
 * const frames = (await readPickSpecs('picks.txt')).map((p) => p.frame);
 * @throws {BadInputError} when the file cannot be read or a line is malformed.
 */
export async function readPickSpecs(path: string, fps?: number): Promise<PickSpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new BadInputError(`Picks file ${path} does not exist or cannot be read. Pass a text file of '<frame> <edited image>' lines.`, { cause, path });
  }
  return parsePicks(text, { fps, source: path.split(/[\\/]/).pop() });
}
