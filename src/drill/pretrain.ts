import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { Pix2Pix, type Pix2PixCreateOptions } from '../gan/pix2pix';
import { CancelledError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';
import { loadPairFolder } from '../data/load-pair-folder';
import { cutOutPortraits, peoplePairs, stillPrior } from '../data/people/people-pairs';
import { synthPortraits } from '../data/synth';
import { addGuides, type MattedPair } from './add-guides';
import { PersonPrior } from '../prior/person-prior';
import { checkDrillOptions, trainDrill, type DrillOptions, type DrillProgress, type DrillReport } from './train-drill';

/** The learning rate the bundled bases were pretrained at (pix2pix's); drills default to more (`DRILL_DEFAULTS` in ./train-drill). */
const PAPER_LEARNING_RATE = 2e-4;

/**
 * The defaults of {@link pretrain} and `vidgan pretrain`: 20000 steps or 1800 s, whichever ends
 * first; 2 patches per step (the bundled base was trained so, docs/BASE-MODEL.md); 384 procedural
 * pairs, enough variety that the model cannot memorise them; seed 1.
 */
export const PRETRAIN_DEFAULTS = Object.freeze({ steps: 20000, trainSeconds: 1800, batchSize: 2, poolSize: 384, seed: 1 });

/** Options of {@link pretrain}. */
export interface PretrainOptions {
  /** The checkpoint to write (also written every few minutes and on cancel, for `resume`). */
  readonly out: string;
  /** Train on a folder of the user's own pairs instead of procedural ones (see `loadPairFolder`). */
  readonly pairs?: string;
  /** Procedural pairs in the pool. Default {@link PRETRAIN_DEFAULTS}.poolSize (384). */
  readonly poolSize?: number;
  /** Seed of the procedural data set and the augmentation. Default {@link PRETRAIN_DEFAULTS}.seed (1). */
  readonly seed?: number;
  /** Continue from `out` when it exists. */
  readonly resume?: boolean;
  /** Model preset and overrides for a new model (its `guides` are the guide planes it takes). */
  readonly model?: Pix2PixCreateOptions;
  /**
   * Start from this checkpoint's weights instead of a new model (widened to `model.guides` when it
   * has none; see `Pix2Pix.loadWithGuides`).
   */
  readonly from?: string;
  /**
   * Real people too: `count` pairs of people cut out of the studio portraits in `folder` and composited
   * over other backgrounds (`cutOutPortraits`, `peoplePairs`), beside the procedural pool. `select`
   * chooses portraits by their index in the folder's sorted listing (to hold some out for benchmarks).
   */
  readonly people?: { readonly folder: string; readonly count: number; readonly select?: (index: number) => boolean };
  /** Step, time, batch and augmentation options (defaults: {@link PRETRAIN_DEFAULTS}, 256 crops, zoom 0.6–1.4). */
  readonly training?: Omit<DrillOptions, 'signal' | 'onProgress' | 'onCheckpoint' | 'startStep'>;
  /** Store weights in half precision (a smaller file to ship). Default false. */
  readonly halfPrecision?: boolean;
  /** How the run was started, recorded in the checkpoint (e.g. the command line). */
  readonly command?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DrillProgress) => void;
  readonly onInfo?: (message: string) => void;
}

/** What {@link pretrain} did. */
export interface PretrainReport {
  readonly out: string;
  readonly pairs: number;
  readonly training: DrillReport;
}

/**
 * Trains a base background-erasure model: on procedural head-and-shoulders pairs (`synthPortraits`)
 * or on a folder of the user's own pairs, with the drill loop's augmentation, schedule and loss
 * watch, wider zoom for variety of framing. The checkpoint records how it was made.
 *
 * @example
 * await pretrain({ out: 'base.safetensors', training: { trainSeconds: 1800 } });
 * @throws {InvalidOptionError} for an option outside its rule, before any pair is made or loaded.
 * @throws {BadInputError} for an unreadable pairs folder; {@link TrainingDivergedError}; {@link CancelledError}.
 */
export async function pretrain(options: PretrainOptions): Promise<PretrainReport> {
  const seed = expectInteger('seed', options.seed ?? PRETRAIN_DEFAULTS.seed, 0, 0xffffffff);
  const poolSize = expectInteger('poolSize', options.poolSize ?? PRETRAIN_DEFAULTS.poolSize, 1, 1_000_000);
  const training = {
    steps: PRETRAIN_DEFAULTS.steps,
    trainSeconds: PRETRAIN_DEFAULTS.trainSeconds,
    batchSize: PRETRAIN_DEFAULTS.batchSize,
    cropSize: 256,
    scaleRange: [0.6, 1.4] as const,
    ...options.training,
    seed,
  };
  checkDrillOptions(training);
  const guides = options.model?.guides ?? [];
  const pool = await loadPool(options, seed, poolSize);
  const pairs = guides.length > 0 ? await addGuides(pool, guides, seed) : pool;
  const resuming = options.resume === true && existsSync(options.out);
  const model = resuming ? await Pix2Pix.load(options.out) : await startingModel(options, seed);
  const started = Date.now();
  const save = async () => {
    await model.save(options.out, {
      halfPrecision: options.halfPrecision,
      metadata: {
        made_by: options.command ?? 'vidgan pretrain',
        data: describeData(options, seed, pairs.length),
        ...(options.from !== undefined ? { started_from: recordedPath(options.from) } : {}),
        ...(guides.length > 0 ? { guide_data: 'person-prior: MediaPipe selfie segmentation of each input; flow-alpha: the matte displaced, eroded or dilated, softened, holed and spotted (simulateFlowAlpha)' } : {}),
        data_seed: String(seed),
        saved_at: new Date().toISOString(),
        train_seconds_this_run: ((Date.now() - started) / 1000).toFixed(0),
      },
    });
  };
  try {
    if (resuming) options.onInfo?.(`Resuming from ${options.out} at step ${model.step}.`);
    const report = await trainDrill(model, pairs, {
      ...training,
      // The bundled bases were made without the alpha loss, at the paper's learning rate: a pretraining
      // run changes either only when asked.
      alphaLoss: training.alphaLoss ?? 0,
      learningRate: training.learningRate ?? PAPER_LEARNING_RATE,
      startStep: 0,
      signal: options.signal,
      onProgress: options.onProgress,
      onCheckpoint: save,
    });
    await save();
    return { out: options.out, pairs: pairs.length, training: report };
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new CancelledError(`${error.message} The checkpoint is in ${options.out}: run again with --resume to continue.`);
    }
    throw error;
  } finally {
    model.dispose();
  }
}

async function startingModel(options: PretrainOptions, seed: number): Promise<Pix2Pix> {
  if (options.from === undefined) return Pix2Pix.create({ seed, ...options.model });
  const guides = options.model?.guides ?? [];
  return Pix2Pix.loadWithGuides(
    options.from,
    { guides, alphaPriorGuide: options.model?.alphaPriorGuide ?? undefined },
    { threads: options.model?.threads },
  );
}

function describeData(options: PretrainOptions, seed: number, count: number): string {
  if (options.pairs !== undefined) return recordedPath(options.pairs);
  const people = options.people !== undefined ? ` + ${options.people.count} of real people from ${recordedPath(options.people.folder)} (peoplePairs, seed ${seed})` : '';
  return `procedural synthPortraits, seed ${seed}${people}; ${count} pairs in all`;
}

/**
 * A path as a checkpoint records it: inside or beside the working directory the command ran in (the
 * repository and ../shared, for the bundled bases), relative to it, so that a shipped checkpoint
 * names no one's machine; farther away, as given.
 */
function recordedPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const cwd = process.cwd();
  const parent = dirname(cwd);
  const within = (dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  // Beside it means under its parent, unless that parent is the file system's root.
  const near = within(cwd) || (dirname(parent) !== parent && within(parent));
  return near ? relative(cwd, path) || '.' : path;
}

async function loadPool(options: PretrainOptions, seed: number, count: number): Promise<MattedPair[]> {
  if (options.pairs !== undefined) {
    const pairs = await loadPairFolder(options.pairs);
    options.onInfo?.(`Loaded ${pairs.length} pairs from ${options.pairs}.`);
    return pairs;
  }
  options.onInfo?.(`Generating ${count} procedural pairs (seed ${seed})…`);
  const pool: MattedPair[] = [];
  for (const pair of synthPortraits(seed, count)) pool.push({ input: pair.input, target: pair.target, width: pair.width, height: pair.height, mask: pair.mask });
  if (options.people !== undefined) {
    const prior = await PersonPrior.load();
    const people = await cutOutPortraits(options.people.folder, { select: options.people.select, prior: stillPrior(prior) }).finally(() => prior.dispose());
    options.onInfo?.(`Cut ${people.length} people out of ${options.people.folder}; compositing ${options.people.count} pairs…`);
    for await (const pair of peoplePairs(people, seed, options.people.count)) pool.push(pair);
  }
  return pool;
}
