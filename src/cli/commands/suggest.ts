import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InvalidOptionError } from '../../pipeline/errors';
import { suggestFrames } from '../../jobs/select/suggest-frames';
import { DECODE_OPTIONS, type DecodeArgs } from '../decode-options';
import { embedProgress } from '../embed-progress';
import { interruptSignal } from '../interrupt';

/** Arguments of `vidgan suggest`. */
export interface SuggestArgs extends DecodeArgs {
  readonly video: string;
  readonly count?: number;
  readonly add?: number;
  readonly picks?: string;
  readonly out: string;
  readonly force: boolean;
  readonly includeOutliers: boolean;
  readonly json: boolean;
}

/**
 * `vidgan suggest <video> --count N --out <dir>`: the N frames that cover the video's variety, as
 * PNGs named as `extract` names them, with a picks-file skeleton; `--add N --picks <picks>`
 * suggests N more beside the frames already edited.
 */
export const suggestCommand: CommandModule<object, SuggestArgs> = {
  command: 'suggest <video>',
  describe: 'Suggest which frames to edit: the few that cover the video best',
  builder: (yargs: Argv) =>
    yargs
      .positional('video', { type: 'string', demandOption: true, describe: 'Input video file' })
      .options({
        count: { type: 'number', describe: 'How many frames to suggest' },
        add: { type: 'number', describe: 'How many frames to add to those of --picks' },
        picks: { type: 'string', describe: 'Picks file of the frames already edited (with --add)' },
        out: { type: 'string', demandOption: true, describe: 'Folder for the PNGs to edit, edited/ and picks.txt' },
        force: { type: 'boolean', default: false, describe: 'Replace a picks.txt already in --out' },
        'include-outliers': { type: 'boolean', default: false, describe: 'Also suggest outlier frames (black frames, title cards, cutaways)' },
        json: { type: 'boolean', default: false, describe: 'Print the suggestion as JSON' },
        ...DECODE_OPTIONS,
      }) as unknown as Argv<SuggestArgs>,
  handler: async (argv: ArgumentsCamelCase<SuggestArgs>) => {
    if ((argv.count === undefined) === (argv.add === undefined)) {
      throw new InvalidOptionError('Pass --count <N> for a first set of frames, or --add <N> --picks <picks file> for more.');
    }
    if (argv.add !== undefined && argv.picks === undefined) {
      throw new InvalidOptionError('--add needs --picks <picks file>: the frames already edited, that the new ones should complement.');
    }
    const progress = embedProgress();
    const report = await suggestFrames({
      video: argv.video,
      count: (argv.count ?? argv.add)!,
      picks: argv.picks,
      out: argv.out,
      force: argv.force,
      includeOutliers: argv.includeOutliers,
      fps: argv.fps,
      crop: argv.crop,
      signal: interruptSignal(),
      onProgress: progress.draw,
    }).finally(progress.end);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const skipped = report.skippedOutliers.length === 0 ? '' : ` (left out ${report.skippedOutliers.length} outlier frames; see vidgan outliers)`;
    process.stdout.write(
      `Suggested ${report.frames.length} of ${report.totalFrames} frames: ${[...report.frames].sort((a, b) => a - b).join(', ')}${skipped}.\n` +
        `Edit the PNGs in ${argv.out}, save each as ${argv.out}/edited/<same name>, then: vidgan process ${argv.video} --train-frames ${report.picksFile}\n`,
    );
  },
};
