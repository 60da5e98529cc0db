import type { Options } from 'yargs';
import { DEFAULT_WHITE_TOLERANCE } from '../stages/alpha-from-white';
import { outputFormat } from '../stages/ffmpeg/output-format';
import { OUTPUT_TARGET_NAMES, PNG_FOLDER, type OutputTargetName } from '../stages/output-target';

/** The output options shared by `process` and `batch`. */
export interface OutputArgs {
  readonly background: string;
  readonly format?: OutputTargetName;
  readonly alphaFromWhite?: number;
}

/**
 * yargs definitions of the output options `process` and `batch` share: the background, the format
 * (otherwise the file name decides) and alpha for models with the `rgb` head.
 *
 * @example
 * builder: (y) => y.options({ ...OUTPUT_OPTIONS, matte: { type: 'string' } })
 */
export const OUTPUT_OPTIONS = {
  background: {
    type: 'string',
    default: 'white',
    describe: 'white, black, #rrggbb, a picture (scaled to cover), a video (looped or cut to length), or transparent (.mov, .webm or a PNG folder)',
  },
  format: {
    choices: OUTPUT_TARGET_NAMES,
    describe: 'Output format (default: from the file name: .mp4 H.264, .mov ProRes 4444, .webm VP9, no extension a folder of RGBA PNGs)',
  },
  'alpha-from-white': {
    type: 'number',
    describe: `For a model with the rgb head (no alpha): derive alpha from distance to white with this tolerance (e.g. ${DEFAULT_WHITE_TOLERANCE})`,
  },
} as const satisfies Record<string, Options>;

/**
 * The output options as `processVideo` and `runBatch` take them.
 *
 * @example outputOptions({ background: 'transparent', format: 'webm-vp9' }) // { background: 'transparent', format: 'webm-vp9' }
 */
export function outputOptions(args: OutputArgs): { background: string; format?: OutputTargetName; alphaFromWhite?: number } {
  return {
    background: args.background,
    ...(args.format === undefined ? {} : { format: args.format }),
    ...(args.alphaFromWhite === undefined ? {} : { alphaFromWhite: args.alphaFromWhite }),
  };
}

/**
 * The suffix of an output named after its video: the format's extension, `''` for a PNG folder, `.mp4` by default.
 *
 * @example outputSuffix('mov-prores4444') // '.mov'
 */
export function outputSuffix(format: OutputTargetName | undefined): string {
  if (format === undefined) return '.mp4';
  return format === PNG_FOLDER ? '' : outputFormat(format).extension;
}
