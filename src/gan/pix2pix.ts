/**
 * The pix2pix model as vidgan uses it: create or load, train step by step, generate, save.
 * Holds the native handle privately; every call runs off the event loop and one at a time.
 */
import * as path from 'path';
import { CheckpointError, EngineError, InvalidOptionError, TrainingDivergedError } from '../pipeline/errors';
import { expectInteger, expectNumber, expectOneOf } from '../pipeline/validate';
import { loadBinding, type NativeModel, type NativeTensor } from './binding';
import {
  type CheckpointInfo,
  type HalfPrecision,
  readCheckpoint,
  readCheckpointInfo,
  writeCheckpoint,
} from './checkpoint';
import {
  architectureDifferences,
  describeArchitecture,
  describeGuides,
  type ModelOptions,
  type Precision,
  resolveModelOptions,
  validateModelOptions,
} from './model-options';
import { nativeOptions } from './native-options';
import { widenToGuides, type GuideSpec } from './widen-to-guides';
import { stateShapes } from './state-shapes';

/** Where the model runs. */
export type Device = 'cpu' | 'cuda';

/** Options of `Pix2Pix.create`: a preset plus overrides, and the runtime settings. */
export interface Pix2PixCreateOptions extends Partial<ModelOptions> {
  /** `cpu` (default) or `cuda` (needs a libtorch built with CUDA). */
  device?: Device;
  /** libtorch threads; 0 or undefined = OMP_NUM_THREADS when set, else every core. */
  threads?: number;
  /** Seed of weight initialisation and dropout, so training is reproducible (default 0). */
  seed?: number;
}

/** Options of `Pix2Pix.load`. */
export interface Pix2PixLoadOptions {
  device?: Device;
  threads?: number;
  /** Inference precision to use instead of the checkpoint's. */
  precision?: Precision;
  /**
   * Keep an exponential moving average of the generator's weights with this decay from now on (0 = none;
   * default the checkpoint's): training updates it after every step, and `generate` and `save` use it.
   * It starts from the loaded weights.
   */
  emaDecay?: number;
  /** When given, the checkpoint must hold this architecture (else CheckpointError naming both). */
  expect?: Partial<ModelOptions>;
}

/**
 * A batch of training pairs: uint8 RGB frames packed count x height x width x 3, and for a model with
 * guides their planes packed count x guides x height x width (in `options.guides` order).
 */
export interface TrainBatch {
  inputs: Uint8Array;
  /** The inputs' guide planes; required when the model has guides, absent otherwise. */
  guides?: Uint8Array;
  targets: Uint8Array;
  /**
   * Each pixel's say in L1 and the alpha loss, N x H x W (255 full, 0 none: a target not known there);
   * absent for full say everywhere. The GAN terms see the whole patch.
   */
  weights?: Uint8Array;
  /**
   * N x H x W: 255 where a white pixel of the target is the subject (a white shirt the edit kept),
   * which the alpha loss then counts as subject instead of leaving out; absent for none.
   */
  mattes?: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** Losses of one train step. */
export interface TrainLosses {
  /** Generator GAN loss (BCE with logits, or least squares). */
  gan: number;
  /** Unweighted mean absolute error between output and target on the [-1, 1] scale (so 0.02 is about 2.5 grey levels). */
  l1: number;
  /** Discriminator loss: half the sum of its real and fake losses, as in pix2pix. */
  d: number;
  /** Generator objective: gan + lambdaL1 * l1. */
  total: number;
}

/** Output of `generate`: RGB frames packed count x height x width x 3, and alpha (count x height x width) when asked. */
export interface GenerateOutput {
  rgb: Uint8Array;
  alpha?: Uint8Array;
}

/** Options of `generate`. */
export interface GenerateCallOptions {
  /** Also return the alpha mask (composite head only). Default false. */
  alpha?: boolean;
  /**
   * The frames' guide planes, uint8 0..255, packed count x guides x height x width in the model's
   * `options.guides` order. Required when the model has guides, absent otherwise.
   */
  guides?: Uint8Array;
  /**
   * Run on generation lane `lane` (0 … {@link Pix2Pix.lanes} - 1), a thread of its own with
   * that share of the model's threads, instead of the torch thread: calls on different lanes run at
   * once, while training, loading and saving wait for them. On 2 cores two 400x400 frames on two
   * lanes take about 110 ms together, against 80 ms a frame one at a time with both threads (this
   * narrow network does not share one frame well between threads). Default: the torch thread.
   */
  lane?: number;
}

/** Options of `save`. */
export interface SaveOptions {
  /** Caller notes stored in the safetensors metadata (keys without the reserved `vidgan.` prefix). */
  metadata?: Record<string, string>;
  /** Save only the inference weights (for shipping); loading it for training re-initialises D and the optimisers. */
  generatorOnly?: boolean;
  /** Store weights in half precision (`true` = F16, or 'bf16'); optimiser state stays F32. */
  halfPrecision?: HalfPrecision;
}

const MAX_SIDE = 8192;
const MAX_COUNT = 4096;
// The 70x70 PatchGAN needs at least this many pixels per side to produce one logit.
const MIN_TRAIN_SIDE = 32;

/**
 * A pix2pix model (U-Net generator + PatchGAN discriminator) on the native libtorch engine.
 *
 * @example
 * const model = await Pix2Pix.create({ preset: 'fast', seed: 1 });
 * const losses = await model.trainStep({ inputs, targets, count: 1, height: 256, width: 256 });
 * const { rgb } = await model.generate(frame, 1, 400, 400);
 * await model.save('model.safetensors');
 * model.dispose();
 */
export class Pix2Pix {
  /** The model's options, including the preset name. */
  readonly options: ModelOptions;
  /** The device it runs on. */
  readonly device: Device;
  /** The seed it was created with. */
  readonly seed: number;
  private native: NativeModel | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Shared calls (generation on a lane) still running; an exclusive call waits for them. */
  private readonly sharing = new Set<Promise<void>>();
  private learningRateNow: number;

  private constructor(native: NativeModel, options: ModelOptions, device: Device, seed: number) {
    this.native = native;
    this.options = options;
    this.device = device;
    this.seed = seed;
    this.learningRateNow = options.lr;
  }

  /**
   * Creates a freshly initialised model (weights N(0, 0.02)). The engine builds it on its own thread,
   * so the event loop keeps running meanwhile.
   *
   * Defaults: preset `fast`, device `cpu`, seed 0, all cores.
   *
   * @throws {InvalidOptionError} an option outside its rule.
   * @throws {EngineError} `cuda` asked for but the linked libtorch has none, or building it failed.
   * @throws {EngineLoadError} the native engine cannot be loaded.
   */
  static async create(options: Pix2PixCreateOptions = {}): Promise<Pix2Pix> {
    const { device = 'cpu', threads = 0, seed = 0, ...modelOptions } = options;
    const resolved = resolveModelOptions(modelOptions);
    return Pix2Pix.build(resolved, { device, threads, seed });
  }

  /**
   * Loads a checkpoint: a full one resumes training exactly; a generator-only one gives its weights
   * with a fresh discriminator and optimisers, at step 0.
   *
   * Nothing is allocated for the model before the file's tensors are found to fit the architecture
   * its metadata names.
   *
   * @example const model = await Pix2Pix.load('models/base.safetensors', { threads: 2 });
   * @throws {CheckpointError} missing, truncated, foreign or damaged files, or another architecture (or other guides) than `expect`.
   */
  static async load(file: string, opts: Pix2PixLoadOptions = {}): Promise<Pix2Pix> {
    if (opts.expect) {
      const expected = resolveModelOptions(opts.expect);
      checkArchitecture(file, (await readCheckpointInfo(file)).options, expected);
    }
    const contents = await readCheckpoint(file);
    let options = contents.info.options;
    if (opts.precision) options = { ...options, precision: expectOneOf('load.precision', opts.precision, ['fp32', 'bf16'] as const) };
    options = withEmaDecay(options, opts.emaDecay);
    const model = await Pix2Pix.build(options, { device: opts.device ?? 'cpu', threads: opts.threads ?? 0, seed: contents.info.seed });
    try {
      await model.restore(file, contents.info, contents.tensors, contents.rngState);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return model;
  }

  /**
   * Loads a checkpoint as a model that takes `spec.guides`: as it is when it was trained with exactly
   * those guides, else, when it was trained without guides, widened by {@link widenToGuides} (the new
   * input channels start at zero weight, so it starts out computing what the checkpoint computed).
   *
   * @example const model = await Pix2Pix.loadWithGuides('models/base.safetensors', { guides: ['person-prior', 'flow-alpha'] });
   * @throws {CheckpointError} as {@link Pix2Pix.load}, and for a checkpoint trained with other guides.
   */
  static async loadWithGuides(file: string, spec: GuideSpec, opts: Omit<Pix2PixLoadOptions, 'expect'> = {}): Promise<Pix2Pix> {
    const info = await readCheckpointInfo(file);
    const same = describeGuides(info.options.guides) === describeGuides(spec.guides) && info.options.alphaPriorGuide === spec.alphaPriorGuide;
    if (same) return Pix2Pix.load(file, opts);
    if (info.options.guides.length > 0) {
      throw new CheckpointError(
        `Checkpoint ${path.basename(file)} was trained with guides ${describeGuides(info.options.guides)}, not ${describeGuides(spec.guides)}: ` +
          'train from a base without guides, or with the same guides.',
      );
    }
    const contents = widenToGuides(await readCheckpoint(file), spec);
    const options = withEmaDecay(contents.info.options, opts.emaDecay);
    const model = await Pix2Pix.build(options, { device: opts.device ?? 'cpu', threads: opts.threads ?? 0, seed: contents.info.seed });
    try {
      await model.restore(file, contents.info, contents.tensors, undefined);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return model;
  }

  /**
   * Reads a checkpoint's metadata (options, step, caller notes) without loading its weights.
   *
   * @example (await Pix2Pix.readCheckpointInfo('model.safetensors')).options.preset
   * @throws {CheckpointError}
   */
  static readCheckpointInfo(file: string): Promise<CheckpointInfo> {
    return readCheckpointInfo(file);
  }

  /** Generation lanes: `generate` calls with different `lane`s run at once ({@link GenerateCallOptions}.lane). */
  static get generationLanes(): number {
    return loadBinding().generationLanes;
  }

  /**
   * The generation lanes this model may use (`generate`'s `lane` is below it): one per libtorch thread
   * it may use, at most {@link Pix2Pix.generationLanes}; a model told to use one thread gets one lane,
   * and so does a CUDA model (lanes there were never run).
   */
  get lanes(): number {
    if (this.device === 'cuda') return 1;
    return Math.max(1, Math.min(Pix2Pix.generationLanes, this.handle().threadCount()));
  }

  /** Whether the linked libtorch can use a CUDA GPU. */
  static cudaAvailable(): boolean {
    return loadBinding().cudaAvailable();
  }

  private static async build(options: ModelOptions, runtime: { device: Device; threads: number; seed: number }): Promise<Pix2Pix> {
    const device = expectOneOf('model.device', runtime.device, ['cpu', 'cuda'] as const);
    const threads = expectInteger('model.threads', runtime.threads, 0, 1024);
    const seed = expectInteger('model.seed', runtime.seed, 0, Number.MAX_SAFE_INTEGER);
    const binding = loadBinding();
    if (device === 'cuda' && !binding.cudaAvailable()) {
      throw new EngineError(
        `Device 'cuda' was asked for, but the linked libtorch ${binding.torchVersion} has no CUDA (or sees no GPU). ` +
          'Build against a CUDA libtorch: LIBTORCH=/path/to/libtorch-with-cuda npm run build:native ' +
          "(a libtorch download with CUDA, or a CUDA PyTorch installation's torch folder); or use device 'cpu'.",
      );
    }
    try {
      return new Pix2Pix(await binding.createModel(nativeOptions(options, { device, threads, seed })), options, device, seed);
    } catch (err) {
      throw new EngineError(`Creating the ${describeArchitecture(options)} model failed: ${messageOf(err)}`, { cause: err });
    }
  }

  /** The guide planes the generator takes after the RGB, in order (empty for none). */
  get guides(): readonly string[] {
    return this.options.guides;
  }

  /** Train steps taken so far. */
  get step(): number {
    return this.handle().getStep();
  }

  /** The learning rate the next train step uses. */
  get learningRate(): number {
    return this.learningRateNow;
  }

  /** Parameter counts of the generator and the discriminator. */
  parameterCounts(): { generator: number; discriminator: number } {
    return this.handle().parameterCounts();
  }

  /**
   * One pix2pix step on a batch: a discriminator update, then a generator update (Adam).
   *
   * @throws {InvalidOptionError} sizes that do not match the buffers, or frames smaller than 32x32.
   * @throws {TrainingDivergedError} a NaN or infinite loss; that network's update is not applied.
   * @throws {EngineError} any other engine failure.
   */
  async trainStep(batch: TrainBatch): Promise<TrainLosses> {
    const { count, height, width } = checkFrames('trainStep', batch.inputs, batch.count, batch.height, batch.width, MIN_TRAIN_SIDE);
    checkBuffer('trainStep.targets', batch.targets, count, height, width);
    const guides = this.checkGuides('trainStep', batch.guides, count, height, width);
    if (batch.weights !== undefined) checkPlanes('trainStep.weights', batch.weights, count, height, width);
    if (batch.mattes !== undefined) checkPlanes('trainStep.mattes', batch.mattes, count, height, width);
    const native = this.handle();
    return this.enqueue(async () => {
      try {
        return await native.trainStep(batch.inputs, guides, batch.targets, count, height, width, batch.weights ?? null, batch.mattes ?? null);
      } catch (err) {
        if ((err as { diverged?: boolean }).diverged) {
          throw new TrainingDivergedError(
            `Training diverged: ${messageOf(err)}. Lower the learning rate (--learning-rate), or check that the edited frames match their source frames.`,
            { cause: err },
          );
        }
        throw new EngineError(`trainStep failed: ${messageOf(err)}`, { cause: err });
      }
    });
  }

  /**
   * Runs the generator on frames (deterministic: no dropout, no batch statistics). Any size works;
   * the output has the input's size.
   *
   * @param opts.alpha also return the alpha mask (composite head only).
   * @param opts.guides the guide planes, for a model with guides.
   * @throws {InvalidOptionError} sizes that do not match the buffers, missing or unexpected guides, or `alpha` without the composite head.
   * @throws {EngineError}
   */
  async generate(
    inputs: Uint8Array,
    count: number,
    height: number,
    width: number,
    opts: GenerateCallOptions = {},
  ): Promise<GenerateOutput> {
    checkFrames('generate', inputs, count, height, width, 1);
    const guides = this.checkGuides('generate', opts.guides, count, height, width);
    if (opts.alpha && this.options.head !== 'composite') {
      throw new InvalidOptionError(
        `generate: alpha was asked for but the model's head is '${this.options.head}'; only the 'composite' head predicts alpha.`,
      );
    }
    // A lane past the model's would let a model told to use one thread run two.
    if (opts.lane !== undefined) expectInteger('generate.lane', opts.lane, 0, this.lanes - 1);
    const native = this.handle();
    const run = opts.lane === undefined ? this.enqueue.bind(this) : this.enqueueShared.bind(this);
    return run(async () => {
      try {
        const out = await native.generate(inputs, guides, count, height, width, opts.alpha === true, opts.lane ?? -1);
        return opts.alpha ? { rgb: out.rgb, alpha: out.alpha } : { rgb: out.rgb };
      } catch (err) {
        throw new EngineError(`generate failed: ${messageOf(err)}`, { cause: err });
      }
    });
  }

  /**
   * Sets the learning rate of both optimisers (for decay schedules).
   *
   * @throws {InvalidOptionError}
   */
  setLearningRate(lr: number): void {
    expectNumber('learningRate', lr, 0, 1);
    this.handle().setLearningRate(lr);
    this.learningRateNow = lr;
  }

  /**
   * Weights an alpha term in the generator's objective from the next train step on: the cross-entropy
   * of the alpha logit against the target's own matte (not white = 1; white where the input is not = 0;
   * both white: no say, unless the batch's `mattes` mark the pixel as subject). Unlike L1 through the sigmoid its gradient does not vanish where the model is
   * confidently wrong. 0 (the default) turns it off. `edgeWeight` (default 0) weighs the pixels within
   * 3 px of the target matte's outline 1 + edgeWeight times. Not saved in checkpoints: drill options.
   *
   * @throws {InvalidOptionError} a weight outside 0 … 1000, or a positive one for a model without the composite head.
   */
  setAlphaLoss(weight: number, edgeWeight = 0): void {
    expectNumber('alphaLoss', weight, 0, 1000);
    expectNumber('alphaEdgeWeight', edgeWeight, 0, 1000);
    if (weight > 0 && this.options.head !== 'composite') {
      throw new InvalidOptionError(`alphaLoss needs the composite head (it predicts alpha); this model's head is '${this.options.head}'.`);
    }
    this.handle().setAlphaLoss(weight, edgeWeight);
  }

  /**
   * Saves a checkpoint (safetensors). Full by default: weights, optimiser state, step and random state,
   * so training resumes exactly.
   *
   * @example await model.save('run.safetensors', { metadata: { made: 'drill on picks.txt' } })
   * @throws {CheckpointError}
   */
  async save(file: string, opts: SaveOptions = {}): Promise<void> {
    const native = this.handle();
    return this.enqueue(async () => {
      const inferenceOnly = opts.generatorOnly === true;
      const tensors = await native.exportState(inferenceOnly);
      await writeCheckpoint(file, {
        kind: inferenceOnly ? 'generator' : 'full',
        options: { ...this.options, lr: this.learningRateNow },
        step: native.getStep(),
        seed: this.seed,
        tensors,
        rngState: inferenceOnly ? undefined : native.getRngState(),
        metadata: opts.metadata,
        halfPrecision: opts.halfPrecision,
      });
    });
  }

  /**
   * Loads a checkpoint's weights into this model (for example a shipped generator into a model about
   * to be drill-trained). A generator-only checkpoint keeps this model's discriminator and optimisers.
   *
   * @throws {CheckpointError} another architecture (the message names both), or a bad file.
   */
  async loadCheckpoint(file: string): Promise<void> {
    checkArchitecture(file, (await readCheckpointInfo(file)).options, this.options);
    const contents = await readCheckpoint(file);
    checkArchitecture(file, contents.info.options, this.options);
    await this.enqueue(async () => this.restore(file, contents.info, contents.tensors, contents.rngState));
  }

  /** Frees the native model. Calls already running finish first; later calls throw EngineError. */
  dispose(): void {
    this.native?.dispose();
    this.native = undefined;
  }

  /** Imports checked tensors (readCheckpoint compared them with the architecture, checkArchitecture with this model's). */
  private async restore(file: string, info: CheckpointInfo, tensors: NativeTensor[], rngState: Uint8Array | undefined): Promise<void> {
    const native = this.handle();
    const name = path.basename(file);
    const expected = new Map(stateShapes(this.options).map((t) => [t.name, t.shape.join('x')]));
    const usable: NativeTensor[] = [];
    for (const t of tensors) {
      const shape = expected.get(t.name);
      if (shape === undefined && t.name.startsWith('ema.')) continue; // an EMA this model does not keep
      if (shape !== t.shape.join('x')) {
        throw new CheckpointError(`Checkpoint ${name}: tensor ${t.name} [${t.shape}] does not fit the ${describeArchitecture(this.options)} model.`);
      }
      usable.push(t);
    }
    try {
      await native.importState(usable, false);
      if (info.kind === 'full') {
        native.setStep(info.step);
        if (rngState) native.setRngState(rngState);
      }
    } catch (err) {
      throw new CheckpointError(`Checkpoint ${name} could not be loaded: ${messageOf(err)}`, { cause: err });
    }
    if (info.kind === 'full') this.setLearningRate(info.options.lr);
  }

  /** The guide planes of a call, checked against the model's guides; null for a model without guides. */
  private checkGuides(what: string, guides: Uint8Array | undefined, count: number, height: number, width: number): Uint8Array | null {
    const names = this.options.guides;
    if (names.length === 0) {
      if (guides !== undefined && guides.length > 0) {
        throw new InvalidOptionError(`${what}: guide planes were given but the model takes no guides; leave ${what}.guides out.`);
      }
      return null;
    }
    if (!(guides instanceof Uint8Array)) {
      throw new InvalidOptionError(
        `${what}: the model takes guides ${describeGuides(names)}, so ${what}.guides must be a Uint8Array of ` +
          `${count} x ${names.length} x ${height} x ${width} bytes, but received ${guides === undefined ? 'none' : typeof guides}.`,
      );
    }
    const expected = count * names.length * height * width;
    if (guides.length !== expected) {
      throw new InvalidOptionError(
        `Expected ${expected} bytes (${count} x ${names.length} x ${height} x ${width} guide planes ${describeGuides(names)}) for ${what}.guides but received ${guides.length}`,
      );
    }
    return guides;
  }

  private handle(): NativeModel {
    if (!this.native) throw new EngineError('This Pix2Pix model was disposed; create or load a new one.');
    return this.native;
  }

  /** Runs `work` after every call queued before it, and before any queued after it. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const before = this.sharing.size === 0 ? this.queue : Promise.all([this.queue, ...this.sharing]);
    const run = before.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs `work` after the exclusive calls queued before it, alongside other shared ones (generation lanes). */
  private enqueueShared<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.sharing.add(settled);
    void settled.then(() => this.sharing.delete(settled));
    return run;
  }
}

function checkFrames(what: string, inputs: Uint8Array, count: number, height: number, width: number, minSide: number) {
  expectInteger(`${what}.count`, count, 1, MAX_COUNT);
  expectInteger(`${what}.height`, height, minSide, MAX_SIDE);
  expectInteger(`${what}.width`, width, minSide, MAX_SIDE);
  checkBuffer(`${what}.inputs`, inputs, count, height, width);
  return { count, height, width };
}

function checkBuffer(name: string, data: Uint8Array, count: number, height: number, width: number): void {
  if (!(data instanceof Uint8Array)) {
    throw new InvalidOptionError(`Expected a Uint8Array of RGB frames for ${name} but received ${typeof data}`);
  }
  const expected = count * height * width * 3;
  if (data.length !== expected) {
    throw new InvalidOptionError(
      `Expected ${expected} bytes (${count} x ${height} x ${width} x 3 RGB) for ${name} but received ${data.length}`,
    );
  }
}

function checkPlanes(name: string, data: Uint8Array, count: number, height: number, width: number): void {
  const expected = count * height * width;
  if (!(data instanceof Uint8Array) || data.length !== expected) {
    throw new InvalidOptionError(`Expected ${expected} bytes (${count} x ${height} x ${width}) for ${name} but received ${data instanceof Uint8Array ? data.length : typeof data}`);
  }
}

function checkArchitecture(file: string, held: ModelOptions, model: ModelOptions): void {
  const differences = architectureDifferences(held, model);
  if (differences.includes('guides') || differences.includes('alphaPriorGuide')) {
    const prior = (o: ModelOptions) => (o.alphaPriorGuide === undefined ? '' : ` (alpha prior ${o.alphaPriorGuide})`);
    throw new CheckpointError(
      `Checkpoint ${path.basename(file)} was trained with guides ${describeGuides(held.guides)}${prior(held)} but the model takes ` +
        `guides ${describeGuides(model.guides)}${prior(model)}. A generator reads its guides by position, so they must match: ` +
        `load it with Pix2Pix.load() to get its own guides, or use a checkpoint trained with guides ${describeGuides(model.guides)}.`,
    );
  }
  if (differences.length > 0) {
    throw new CheckpointError(
      `Checkpoint ${path.basename(file)} holds preset ${describeArchitecture(held)} but the model is ${describeArchitecture(model)}. ` +
        `Load it with Pix2Pix.load() to get its own architecture, or create the model with preset '${held.preset}'.`,
    );
  }
}

function messageOf(err: unknown): string {
  // Not `instanceof Error`: errors made by the addon may come from another realm (jest's VM contexts).
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

/** A checkpoint's options with the EMA decay a load asked for (checked as any model option), or as they are. */
function withEmaDecay(options: ModelOptions, emaDecay: number | undefined): ModelOptions {
  return emaDecay === undefined ? options : validateModelOptions({ ...options, emaDecay });
}
