import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { pretrain, PRETRAIN_DEFAULTS } from '../../drill/pretrain';
import { resolveGuideSpec } from '../../guides/guide-kit';
import { formatDuration, progressBar } from '../format-duration';
import { interruptSignal } from '../interrupt';
import { statusLine } from '../status-line';
import { guideOptions } from '../train-options';

/** Arguments of `vidgan pretrain`. */
export interface PretrainArgs {
  readonly out: string;
  readonly pairs?: string;
  readonly poolSize: number;
  readonly seed: number;
  readonly steps: number;
  readonly trainSeconds: number;
  readonly batchSize: number;
  readonly preset?: string;
  readonly ngf?: number;
  readonly depth?: number;
  readonly threads?: number;
  readonly half: boolean;
  readonly resume: boolean;
  readonly progress: boolean;
  readonly from?: string;
  readonly people?: string;
  readonly peoplePairs: number;
  readonly guides: string;
}

/**
 * `vidgan pretrain --out <checkpoint>`: trains a base background-erasure model on procedural
 * head-and-shoulders pairs, or on `--pairs <dir>` of the user's own.
 */
export const pretrainCommand: CommandModule<object, PretrainArgs> = {
  command: 'pretrain',
  describe: 'Train a base background-erasure model on procedural pairs or your own',
  builder: (yargs: Argv) =>
    yargs.options({
      out: { type: 'string', demandOption: true, describe: 'Checkpoint to write (.safetensors)' },
      pairs: { type: 'string', describe: 'Folder of your own pairs: input/ + target/, or side-by-side AB images' },
      'pool-size': { type: 'number', default: PRETRAIN_DEFAULTS.poolSize, describe: 'Procedural pairs to generate' },
      seed: { type: 'number', default: PRETRAIN_DEFAULTS.seed, describe: 'Seed of the data and the augmentation' },
      steps: { type: 'number', default: PRETRAIN_DEFAULTS.steps, describe: 'Step limit' },
      'train-seconds': { type: 'number', default: PRETRAIN_DEFAULTS.trainSeconds, describe: 'Time limit in seconds (whichever ends first)' },
      'batch-size': { type: 'number', default: PRETRAIN_DEFAULTS.batchSize, describe: 'Patches per step' },
      preset: { type: 'string', describe: "Model preset of a new model (default 'fast')" },
      ngf: { type: 'number', describe: "Generator width of a new model (default: the preset's)" },
      depth: { type: 'number', describe: "U-Net levels of a new model (default: the preset's)" },
      threads: { type: 'number', describe: 'libtorch threads (default: all cores)' },
      half: { type: 'boolean', default: false, describe: 'Store weights in half precision (smaller file)' },
      resume: { type: 'boolean', default: false, describe: 'Continue from --out when it exists' },
      progress: { type: 'boolean', default: false, describe: 'Show progress even when stderr is not a terminal' },
      from: { type: 'string', describe: 'Start from this checkpoint (widened to --guides when it has none) instead of a new model' },
      people: { type: 'string', describe: 'A folder of studio portraits: people cut out and composited over other backgrounds join the pool' },
      'people-pairs': { type: 'number', default: 500, describe: 'Pairs made from --people' },
      guides: { type: 'string', default: 'none', describe: "Guide planes the model takes: 'person-prior,flow-alpha' (made for each pair), or none" },
    }) as unknown as Argv<PretrainArgs>,
  handler: async (argv: ArgumentsCamelCase<PretrainArgs>) => {
    const line = statusLine({ force: argv.progress });
    const command = `vidgan ${process.argv.slice(2).join(' ')}`;
    try {
      const report = await pretrain({
        out: argv.out,
        pairs: argv.pairs,
        poolSize: argv.poolSize,
        seed: argv.seed,
        resume: argv.resume,
        halfPrecision: argv.half,
        command,
        from: argv.from,
        people: argv.people !== undefined ? { folder: argv.people, count: argv.peoplePairs } : undefined,
        model: { preset: argv.preset, ngf: argv.ngf, depth: argv.depth, threads: argv.threads, seed: argv.seed, ...resolveGuideSpec({ guides: guideOptions({ guides: argv.guides, alphaGuide: 'flow-alpha' }).guides }) },
        training: { steps: argv.steps, trainSeconds: argv.trainSeconds, batchSize: argv.batchSize },
        signal: interruptSignal(),
        onInfo: (message) => {
          line.end();
          process.stderr.write(`${message}\n`);
        },
        onProgress: (p) =>
          line.draw(
            `pretrain ${progressBar(p.progress)} step ${p.step}/${p.totalSteps}  L1 ${p.losses.l1.toFixed(4)}  ` +
              `G ${p.losses.gan.toFixed(3)}  D ${p.losses.d.toFixed(3)}  ETA ${formatDuration(p.etaSeconds)}`,
          ),
      });
      line.end();
      const t = report.training;
      process.stdout.write(
        `Wrote ${report.out}: ${t.steps} steps on ${report.pairs} pairs in ${formatDuration(t.trainSeconds)} ` +
          `(final L1 ${t.curve[t.curve.length - 1]?.l1.toFixed(4) ?? '?'}).\n`,
      );
    } finally {
      line.end();
    }
  },
};
