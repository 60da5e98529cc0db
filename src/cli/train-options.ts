import type { Options } from 'yargs';
import { DRILL_DEFAULTS } from '../drill/train-drill';

/** The options shared by every command that drill-trains (`process`, `batch`, `eval --holdout`). */
export interface TrainArgs {
  readonly trainSeconds: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly device: 'cpu' | 'cuda';
  readonly threads?: number;
}

/**
 * yargs definitions of the drill-training options, shared so that they mean the same, with the same
 * defaults (the library's {@link DRILL_DEFAULTS}), in every command.
 *
 * @example
 * builder: (y) => y.options({ ...DECODE_OPTIONS, ...TRAIN_OPTIONS })
 */
export const TRAIN_OPTIONS = {
  'train-seconds': { type: 'number', default: DRILL_DEFAULTS.trainSeconds, describe: 'Training time limit in seconds (of each job or fold)' },
  steps: { type: 'number', default: DRILL_DEFAULTS.steps, describe: 'Training step limit (whichever ends first)' },
  'batch-size': { type: 'number', default: DRILL_DEFAULTS.batchSize, describe: 'Training patches per step' },
  seed: { type: 'number', default: DRILL_DEFAULTS.seed, describe: 'Seed of initialisation and augmentation' },
  device: { choices: ['cpu', 'cuda'] as const, default: 'cpu' as const, describe: 'Where the model runs' },
  threads: { type: 'number', describe: 'libtorch threads (default: all cores)' },
} as const satisfies Record<string, Options>;
