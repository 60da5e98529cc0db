import { readdir } from 'node:fs/promises';
import { lastValueFrom, tap, type Observable } from 'rxjs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { OutputExistsError } from '../../pipeline/errors';
import { FrameBudget } from '../../pipeline/frame-budget';
import { decodeVideo } from '../../stages/decode-video';
import { sampledFrameCount } from '../../stages/ffmpeg/parse-probe';
import { writePngSequence, type PngWriteProgress } from '../../stages/write-png-sequence';
import { DECODE_OPTIONS, type DecodeArgs } from '../decode-options';
import { interruptSignal } from '../interrupt';
import { progressBar } from '../format-duration';
import { statusLine } from '../status-line';

/** Arguments of `vidgan extract`. */
export interface ExtractArgs extends DecodeArgs {
  readonly video: string;
  readonly out: string;
  readonly force: boolean;
}

/**
 * `vidgan extract <video> --out <dir>`: writes the frames sampled at `--fps` and centre-cropped to
 * `--crop` as `<dir>/000000.png`, `000001.png`, … (0-based index at the sampling rate), ready for a
 * person to edit a few of them.
 */
export const extractCommand: CommandModule<object, ExtractArgs> = {
  command: 'extract <video>',
  describe: 'Write the sampled, cropped frames of a video as numbered PNGs for editing',
  builder: (yargs: Argv) =>
    yargs
      .positional('video', { type: 'string', demandOption: true, describe: 'Input video file' })
      .options({
        out: { type: 'string', demandOption: true, describe: 'Folder for the PNG files (created if missing)' },
        force: { type: 'boolean', default: false, describe: 'Write into a folder that already holds PNG files' },
        ...DECODE_OPTIONS,
      }) as unknown as Argv<ExtractArgs>,
  handler: async (argv: ArgumentsCamelCase<ExtractArgs>) => {
    const written = await extract(argv);
    process.stdout.write(`Wrote ${written} frames to ${argv.out} (${argv.fps} fps, ${argv.crop}x${argv.crop}).\n`);
  },
};

async function extract(args: ExtractArgs): Promise<number> {
  if (!args.force) await expectNoPngs(args.out);
  const budget = new FrameBudget(16);
  const line = statusLine();
  let total: number | undefined;
  let count = 0;
  const frames = decodeVideo(args.video, {
    fps: args.fps,
    crop: args.crop,
    budget,
    signal: interruptSignal(),
    onInfo: (info) => {
      total = info.durationSec === undefined ? undefined : sampledFrameCount(info.durationSec, args.fps);
    },
  });
  const written: Observable<PngWriteProgress> = frames.pipe(
    writePngSequence(args.out, { budget }),
    tap((p) => {
      count = p.framesWritten;
      line.draw(total ? `extract ${progressBar(count / total)} ${count}/${total} frames` : `extract: ${count} frames`);
    }),
  );
  try {
    await lastValueFrom(written, { defaultValue: undefined });
  } finally {
    line.end();
  }
  return count;
}

/** Refuses to mix a new extraction into a folder of (possibly hand-edited) frames. */
async function expectNoPngs(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pngs = names.filter((n) => n.endsWith('.png'));
  if (pngs.length > 0) {
    throw new OutputExistsError(
      `${dir} already holds ${pngs.length} PNG files (e.g. ${pngs[0]}); extracting would overwrite edited frames. ` +
        'Choose an empty folder, or pass --force.',
    );
  }
}
