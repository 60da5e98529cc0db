import { BadInputError, InvalidOptionError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';
import { DEFAULT_WHITE_TOLERANCE } from '../stages/alpha-from-white';
import { type Background, describeBackground, isWhite, parseBackground } from '../stages/background';
import { formatForPath } from '../stages/ffmpeg/output-format';
import { probeVideo } from '../stages/ffmpeg/probe-video';
import { outputTarget, targetsWithAlpha, type OutputTarget } from '../stages/output-target';

/** The output options of a job, as `processVideo` and `runBatch` take them. */
export interface OutputOptions {
  /** The output: a video file (format by extension) or a folder of RGBA PNGs (no extension). */
  readonly out: string;
  /** Overrides the format the name implies: `'mp4-h264'`, `'mov-prores4444'`, `'webm-vp9'` or `'png'`. */
  readonly format?: string;
  /** `white` (default), `black`, `#rrggbb`, `transparent`, or a picture or video file (see `parseBackground`). */
  readonly background?: string | Background;
  /** Also write the alpha as a grey video to this file (`.mp4`, `.mov` or `.webm`). */
  readonly matte?: string;
  /**
   * For a model with the paper's `rgb` head (no alpha): derive alpha from each pixel's distance from
   * white with this tolerance (`alphaFromWhite`, {@link DEFAULT_WHITE_TOLERANCE} = 24 is a fair start).
   * Without it such a model is refused for anything that needs alpha.
   */
  readonly alphaFromWhite?: number;
}

/** What a job writes, decided from its {@link OutputOptions} before any work. */
export interface OutputPlan {
  readonly target: OutputTarget;
  readonly background: Background;
  /** True when the frames need an alpha plane: a background other than white, or a matte. */
  readonly needsAlpha: boolean;
  readonly matte?: string;
  readonly alphaFromWhite?: number;
}

/**
 * Decides what a job writes and refuses what cannot work, before any work: an unknown format, a
 * background spelt wrong, transparency asked of a format without alpha, a matte of no known format.
 *
 * @example
 * planOutput({ out: 'clip.mov', background: 'transparent' }).target.name; // 'mov-prores4444'
 * @throws {InvalidOptionError} naming the rule and the fix (for transparency: the formats that keep alpha).
 */
export function planOutput(options: OutputOptions): OutputPlan {
  const target = outputTarget(options.out, options.format);
  const background = parseBackground(options.background ?? 'white');
  if (background.kind === 'transparent' && !target.alpha) {
    throw new InvalidOptionError(
      `A transparent background needs an output format that stores alpha, and ${options.out} is ${target.label}, which has none. ` +
        `Write ${targetsWithAlpha()}, or choose a background colour, picture or video instead.`,
    );
  }
  if (options.matte !== undefined) formatForPath(options.matte);
  const alphaFromWhite = options.alphaFromWhite === undefined ? undefined : expectInteger('alphaFromWhite', options.alphaFromWhite, 0, 127);
  return { target, background, needsAlpha: !isWhite(background) || options.matte !== undefined, matte: options.matte, alphaFromWhite };
}

/**
 * Checks that a picture or video background can be read (ffmpeg probes it), before any work.
 *
 * @example
 * await checkBackgroundInput(plan.background);
 * @throws {BadInputError} for a missing or unreadable file.
 */
export async function checkBackgroundInput(background: Background, signal?: AbortSignal): Promise<void> {
  if (background.kind !== 'image' && background.kind !== 'video') return;
  try {
    await probeVideo(background.path, { signal });
  } catch (error) {
    if (!(error instanceof BadInputError)) throw error;
    throw new BadInputError(`Cannot use ${background.path} as the background: ${error.message}`, { path: background.path, cause: error });
  }
}

/**
 * Refuses a model that predicts no alpha (the paper's `rgb` head) for an output that needs it, unless
 * alpha is to be derived from white, naming the head that predicts it.
 *
 * @example
 * checkModelAlpha(plan, model.options.head, 'model.safetensors');
 * @throws {InvalidOptionError} naming the `composite` head and `alphaFromWhite`.
 */
export function checkModelAlpha(plan: OutputPlan, head: string, model: string): void {
  if (!plan.needsAlpha || head === 'composite' || plan.alphaFromWhite !== undefined) return;
  const wants = [
    ...(isWhite(plan.background) ? [] : [`the ${describeBackground(plan.background)} background`]),
    ...(plan.matte === undefined ? [] : [`the matte ${plan.matte}`]),
  ].join(' and ');
  throw new InvalidOptionError(
    `${model} has the paper's '${head}' head, which predicts no alpha, and ${wants} needs alpha. Use a model with the ` +
      `'composite' head (the default, and the bundled base's), or derive alpha from each pixel's distance from white with ` +
      `--alpha-from-white <tolerance> (alphaFromWhite; ${DEFAULT_WHITE_TOLERANCE} is a fair start).`,
  );
}
