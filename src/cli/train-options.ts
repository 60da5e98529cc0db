import type { Options } from 'yargs';
import { DRILL_DEFAULTS } from '../drill/train-drill';
import { DEFAULT_GUIDES, KNOWN_GUIDES } from '../guides/guide-kit';

/** The options shared by every command that drill-trains (`process`, `batch`, `eval --holdout`). */
export interface TrainArgs {
  readonly trainSeconds: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly alphaLoss: number;
  readonly learningRate?: number;
  readonly device: 'cpu' | 'cuda';
  readonly threads?: number;
  readonly guides: string;
  readonly alphaGuide: string;
  /** Undefined when not given: on, or as the checkpoint applied again was trained. */
  readonly priorVeto?: boolean;
  /** From {@link PAINT_OPTIONS}: commands that stream (`process`, `batch`). */
  readonly paint?: boolean;
  /** From {@link PAINT_OPTIONS}: commands that stream (`process`, `batch`). */
  readonly dropStrays?: boolean;
  /** From {@link PAINT_OPTIONS}: commands that stream (`process`, `batch`). */
  readonly roundTrip?: number;
  /** From {@link PAINT_OPTIONS}: commands that stream (`process`, `batch`). */
  readonly neighbours?: number;
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
  'alpha-loss': {
    type: 'number',
    default: DRILL_DEFAULTS.alphaLoss,
    describe: "Weight of the alpha cross-entropy against the edits' matte beside L1 (composite head), 0 = off",
  },
  'learning-rate': {
    type: 'number',
    describe: `The drill's learning rate, decaying to zero over the second half of training (default ${DRILL_DEFAULTS.learningRate})`,
  },
  device: { choices: ['cpu', 'cuda'] as const, default: 'cpu' as const, describe: 'Where the model runs' },
  threads: { type: 'number', describe: 'libtorch threads (default: all cores)' },
  guides: {
    type: 'string',
    default: DEFAULT_GUIDES.guides.join(','),
    describe: `Guide planes a new model takes beside the RGB, comma-separated (${KNOWN_GUIDES.join(', ')}), or none`,
  },
  'alpha-guide': {
    type: 'string',
    default: DEFAULT_GUIDES.alphaPriorGuide ?? 'none',
    describe: "The guide whose logit the alpha head starts from (one of --guides), or none",
  },
  // No yargs default: left out, a model applied again (--model, --resume) keeps what it was trained with.
  'prior-veto': {
    type: 'boolean',
    describe:
      "Lower the person prior where the edits erased what it marks (a hand, a bystander), carried by the edits' flow (with the person-prior and flow-alpha guides; default on, or as the --model or --resume checkpoint was trained); --no-prior-veto keeps it as MediaPipe gives it",
  },
} as const satisfies Record<string, Options>;

/**
 * The options of the commands that train a model and stream it (`process`, `batch`), beside
 * {@link TRAIN_OPTIONS}: painting, dropping strays, the picks' nearby training guides and the frames beside them
 * (`eval --holdout` takes the round trip's default: 3, or 0 when the edits paint, and trains its folds on the picks alone).
 */
export const PAINT_OPTIONS = {
  'round-trip': {
    type: 'number',
    describe:
      "Also train each edited frame with the flow guide a frame this many frames from it gets: its own edit carried there and back by optical flow (default 3; 0, and the default when your edits paint over something: only the guide the other edited frames carry to it; needs the flow-alpha guide)",
  },
  neighbours: {
    type: 'number',
    describe:
      'Also train on the frames up to this many frames before and after each edited frame, with its edit carried onto them by optical flow (default 2; 0 turns it off; off when your edits paint over something or without the flow-alpha guide)',
  },
  paint: {
    type: 'boolean',
    default: true,
    describe:
      'Carry what the edits painted over (another person\'s fingers covered with the clothing) to the frames around each edited frame, over the generator\'s output; --no-paint leaves it to the generator. Edits that only erase or change colours paint nothing',
  },
  'drop-strays': {
    type: 'boolean',
    default: true,
    describe:
      'Erase what the model kept apart from the subject where your edits, carried there by optical flow, erased it (grass, a face painted on a wall, a passer-by), and every such pixel the model is not sure of when the flow followed your edits well (measured on them, and said); --no-drop-strays keeps it',
  },
} as const satisfies Record<string, Options>;

/**
 * The guide options of a training command, as `processVideo`, `runBatch` and `holdoutScores` take them,
 * and what corrects the stream (`paint`, `dropStrays`), which travel with them to `runBatch` and the queue's jobs.
 *
 * `paint` and `dropStrays` are there only when turned off, `priorVeto`, `roundTrip` and `neighbours` only when given (the defaults
 * leave queued jobs' ids as they were; a `priorVeto` given either way overrides what a checkpoint applied again was trained with).
 *
 * @example guideOptions({ guides: 'person-prior', alphaGuide: 'none' }) // { guides: ['person-prior'], alphaPriorGuide: null }
 */
export function guideOptions(args: Pick<TrainArgs, 'guides' | 'alphaGuide'> & { priorVeto?: boolean; paint?: boolean; dropStrays?: boolean; roundTrip?: number; neighbours?: number }): {
  guides: string[];
  alphaPriorGuide: string | null;
  priorVeto?: boolean;
  paint?: false;
  dropStrays?: false;
  roundTrip?: number;
  neighbours?: number;
} {
  const guides = args.guides.trim() === 'none' || args.guides.trim() === '' ? [] : args.guides.split(',').map((g) => g.trim());
  return {
    guides,
    alphaPriorGuide: args.alphaGuide === 'none' ? null : args.alphaGuide,
    ...(args.priorVeto !== undefined ? { priorVeto: args.priorVeto } : {}),
    ...(args.paint === false ? { paint: false as const } : {}),
    ...(args.dropStrays === false ? { dropStrays: false as const } : {}),
    ...(args.roundTrip !== undefined ? { roundTrip: args.roundTrip } : {}),
    ...(args.neighbours !== undefined ? { neighbours: args.neighbours } : {}),
  };
}

/**
 * The drill options of a training command, as `processVideo`, `runBatch` and `holdoutScores` take them.
 *
 * The learning rate is there only when given (the default leaves queued jobs' ids as they were).
 *
 * @example drillOptions(args) // { trainSeconds: 150, steps: 1500, batchSize: 2, seed: 0, alphaLoss: … }
 */
export function drillOptions(args: Pick<TrainArgs, 'trainSeconds' | 'steps' | 'batchSize' | 'seed' | 'alphaLoss' | 'learningRate'>) {
  return {
    trainSeconds: args.trainSeconds,
    steps: args.steps,
    batchSize: args.batchSize,
    seed: args.seed,
    alphaLoss: args.alphaLoss,
    ...(args.learningRate !== undefined ? { learningRate: args.learningRate } : {}),
  };
}
