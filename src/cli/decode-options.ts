import type { Options } from 'yargs';
import { DEFAULT_CROP, DEFAULT_FPS } from '../pipeline/default-sampling';

/** The options shared by every command that decodes a video. */
export interface DecodeArgs {
  readonly fps: number;
  readonly crop: number;
}

/**
 * yargs definitions of `--fps` and `--crop`, shared by every command that decodes
 * (`extract`, `process`, …) so they mean the same everywhere.
 *
 * @example
 * builder: (y) => y.options(DECODE_OPTIONS)
 */
export const DECODE_OPTIONS = {
  fps: {
    type: 'number',
    default: DEFAULT_FPS,
    describe: "Sampling rate in frames per second (ffmpeg's fps filter)",
  },
  crop: {
    type: 'number',
    default: DEFAULT_CROP,
    describe: 'Side of the centre square kept from each frame; a smaller source is scaled up to it first',
  },
} as const satisfies Record<string, Options>;
