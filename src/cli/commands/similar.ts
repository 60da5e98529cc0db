import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { similarFrames } from '../../jobs/select/similar-frames';
import { DECODE_OPTIONS, type DecodeArgs } from '../decode-options';
import { embedProgress } from '../embed-progress';
import { interruptSignal } from '../interrupt';

/** Arguments of `vidgan similar`. */
export interface SimilarArgs extends DecodeArgs {
  readonly video: string;
  readonly like: string;
  readonly count: number;
  readonly json: boolean;
}

/** `vidgan similar <video> --like <image or frame index> [--count N]`: the nearest frames, nearest first. */
export const similarCommand: CommandModule<object, SimilarArgs> = {
  command: 'similar <video>',
  describe: 'List the frames most like a frame or an image',
  builder: (yargs: Argv) =>
    yargs
      .positional('video', { type: 'string', demandOption: true, describe: 'Input video file' })
      .options({
        like: { type: 'string', demandOption: true, describe: 'A frame index of the video, or an image file' },
        count: { type: 'number', default: 10, describe: 'How many frames to list' },
        json: { type: 'boolean', default: false, describe: 'Print the frames as JSON' },
        ...DECODE_OPTIONS,
      }) as unknown as Argv<SimilarArgs>,
  handler: async (argv: ArgumentsCamelCase<SimilarArgs>) => {
    const like = /^\d+$/.test(argv.like) ? Number(argv.like) : argv.like;
    const progress = embedProgress();
    const near = await similarFrames({ video: argv.video, like, count: argv.count, fps: argv.fps, crop: argv.crop, signal: interruptSignal(), onProgress: progress.draw }).finally(
      progress.end,
    );
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(near.map((f) => ({ index: f.index, distance: Math.round(f.distance * 1000) / 1000 })), null, 2)}\n`);
      return;
    }
    process.stdout.write(near.map((f) => `frame ${String(f.index).padStart(6)}  ${(f.index / argv.fps).toFixed(1).padStart(7)} s  distance ${f.distance.toFixed(3)}`).join('\n') + '\n');
  },
};
