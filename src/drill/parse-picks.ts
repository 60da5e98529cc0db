import { BadInputError } from '../pipeline/errors';
import { DEFAULT_FPS } from '../pipeline/default-sampling';

/** One line of a picks file, parsed but not yet checked against the video or the disk. */
export interface PickSpec {
  /** 1-based line number in the picks file, for messages. */
  readonly line: number;
  /** 0-based frame index at the sampling rate. */
  readonly frame: number;
  /** The edited image's path as written in the file (relative to the picks file unless absolute). */
  readonly image: string;
}

/** Options of {@link parsePicks}. */
export interface ParsePicksOptions {
  /** Sampling rate that frame indices and timestamps refer to. Default {@link DEFAULT_FPS} (10). */
  readonly fps?: number;
  /** Name of the picks file, used in messages. Default `picks`. */
  readonly source?: string;
}

const INDEX = /^\d+$/;
const SECONDS = /^(\d+(?:\.\d+)?)s$/;
const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/;

/**
 * Parses a picks file: one pair per line, `<frame> <edited image>`.
 *
 * `<frame>` is the index that `vidgan extract` wrote in the file name (`123`), or a timestamp
 * (`83.4s`, `01:23.4` or `00:01:23.4`), rounded to the nearest frame at `fps`. A line holding only an
 * image path takes the frame from the last number in its file name (`edited/000123.png` is frame 123).
 * `#` starts a comment; blank lines are ignored. The image path is the rest of the line, so it may
 * hold spaces.
 *
 * @example
 * parsePicks('12 edited/000012.png\n00:00:03.5 edited/b.png\nedited/000047.png\n');
 * // [{ line: 1, frame: 12, ... }, { line: 2, frame: 35, ... }, { line: 3, frame: 47, ... }]
 * @throws {BadInputError} for a malformed line (its number and why), a duplicate frame, or no pairs.
 */
export function parsePicks(text: string, options: ParsePicksOptions = {}): PickSpec[] {
  const fps = options.fps ?? DEFAULT_FPS;
  const source = options.source ?? 'picks';
  const picks: PickSpec[] = [];
  const seen = new Map<number, number>();

  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = stripComment(raw).trim();
    if (content === '') return;
    const pick = parseLine(content, line, fps, source);
    const earlier = seen.get(pick.frame);
    if (earlier !== undefined) {
      throw new BadInputError(
        `${source} line ${line}: frame ${pick.frame} is already picked on line ${earlier}. ` +
          'Each frame may appear once: remove one of the two lines.',
      );
    }
    seen.set(pick.frame, line);
    picks.push(pick);
  });

  if (picks.length === 0) {
    throw new BadInputError(
      `${source} holds no pairs. Write one pair per line, '<frame> <edited image>', for example '12 edited/000012.png'.`,
    );
  }
  return picks;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

function parseLine(content: string, line: number, fps: number, source: string): PickSpec {
  const space = content.search(/\s/);
  const first = space < 0 ? content : content.slice(0, space);
  const rest = space < 0 ? '' : content.slice(space).trim();
  const frame = parseFrameSpec(first, fps);

  if (rest === '') {
    if (frame !== undefined) {
      throw new BadInputError(
        `${source} line ${line}: frame '${first}' has no edited image. Write '<frame> <edited image>' on one line.`,
      );
    }
    return { line, frame: frameFromFileName(content, line, source), image: content };
  }
  if (frame === undefined) {
    throw new BadInputError(
      `${source} line ${line}: '${first}' is not a frame. Expected a frame index (123), seconds (83.4s) ` +
        'or a clock time (00:01:23.4) before the image path.',
    );
  }
  return { line, frame, image: rest };
}

/**
 * Parses a frame index (`123`) or a timestamp (`83.4s`, `01:23.4`, `00:01:23.4`) to a 0-based frame
 * index at `fps`. Returns undefined when `spec` is neither.
 *
 * @example parseFrameSpec('00:00:01.25', 10) // 13 (1.25 s * 10 fps, rounded half up)
 */
export function parseFrameSpec(spec: string, fps: number): number | undefined {
  if (INDEX.test(spec)) return Number(spec);
  const seconds = SECONDS.exec(spec);
  if (seconds) return secondsToFrame(Number(seconds[1]), fps);
  const clock = CLOCK.exec(spec);
  if (clock) {
    const [, h, m, s] = clock;
    return secondsToFrame(Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s), fps);
  }
  return undefined;
}

// ffmpeg's fps filter keeps, for output frame i (time i/fps), the input frame nearest to that time,
// so a timestamp maps to the nearest output frame. The epsilon absorbs decimal noise (0.3*10 = 2.9999).
function secondsToFrame(seconds: number, fps: number): number {
  return Math.floor(seconds * fps + 0.5 + 1e-9);
}

function frameFromFileName(path: string, line: number, source: string): number {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.[^.]*$/, '');
  const numbers = stem.match(/\d+/g);
  if (!numbers) {
    throw new BadInputError(
      `${source} line ${line}: '${path}' has no frame number in its file name. ` +
        "Name the image after its frame (000123.png, as 'vidgan extract' wrote it) or write '<frame> <image>'.",
    );
  }
  return Number(numbers[numbers.length - 1]);
}
