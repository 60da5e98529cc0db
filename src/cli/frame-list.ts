import { readFileSync } from 'node:fs';
import { parsePicks } from '../drill/parse-picks';
import { InvalidOptionError } from '../pipeline/errors';

const LIST = /^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/;

/**
 * Reads the value of `--exclude`: a comma-separated list of frame indices and ranges (`3,17,40-45`),
 * or the path of a picks file, whose frames are taken (so `--exclude picks.txt` leaves out the
 * training picks).
 *
 * @example
 * parseFrameList('3,17,40-42'); // [3, 17, 40, 41, 42]
 * @throws {InvalidOptionError} when the value is neither a list nor a readable picks file.
 * @throws {BadInputError} for a malformed picks file.
 */
export function parseFrameList(value: string, fps = 10): number[] {
  if (LIST.test(value)) {
    return value.split(',').flatMap((part) => {
      const [from, to] = part.split('-').map((s) => Number(s.trim()));
      if (to === undefined) return [from!];
      if (to < from!) throw new InvalidOptionError(`Expected a range from low to high in --exclude but received ${part.trim()}.`);
      return Array.from({ length: to - from! + 1 }, (_, i) => from! + i);
    });
  }
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (cause) {
    throw new InvalidOptionError(
      `Expected frame indices (3,17,40-45) or a picks file for --exclude but received ${value}, which is neither.`,
      { cause },
    );
  }
  return parsePicks(text, { fps, source: value.split(/[\\/]/).pop() }).map((p) => p.frame);
}
