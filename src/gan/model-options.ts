/**
 * Options of the pix2pix model (Isola et al. 2017, https://arxiv.org/abs/1611.07004), the named
 * presets, and their validation.
 */
import { InvalidOptionError } from '../pipeline/errors';
import { expectInteger, expectNumber, expectOneOf } from '../pipeline/validate';

/** Normalisation layers: `batch` (the paper's; running statistics at inference), `instance` (no affine, same at train and inference) or `none`. */
export type Norm = 'batch' | 'instance' | 'none';
/** Decoder upsampling: `transpose` (ConvTranspose2d 4x4 stride 2, the paper's) or `upsample` (x2 upsample then 3x3 conv, much faster on Debian's libtorch). */
export type Decoder = 'transpose' | 'upsample';
/** Interpolation of the `upsample` decoder. */
export type UpsampleMode = 'nearest' | 'bilinear';
/** Output head: `rgb` (tanh RGB, the paper's) or `composite` (alpha mask and colour-corrected input, composited onto white). */
export type Head = 'rgb' | 'composite';
/** GAN loss: `bce` (the paper's, BCE with logits) or `lsgan` (least squares). */
export type GanLoss = 'bce' | 'lsgan';
/** Inference precision: `bf16` runs the generator under bfloat16 autocast (CPU with AVX-512-BF16, or CUDA). Training is always fp32. */
export type Precision = 'fp32' | 'bf16';

/** Everything that defines a pix2pix model. The architecture fields must match a checkpoint to load it. */
export interface ModelOptions {
  /** The preset the options started from (`pix2pix-unet256`, `fast`, ...). */
  preset: string;
  /** Generator filters in the first layer (the paper: 64). */
  ngf: number;
  /** Discriminator filters in the first layer (the paper: 64). */
  ndf: number;
  /** U-Net levels; inputs are padded to a multiple of 2^depth (the paper's unet_256: 8). */
  depth: number;
  /** Strided layers of the PatchGAN; 3 gives the 70x70 receptive field. */
  discLayers: number;
  norm: Norm;
  decoder: Decoder;
  upsampleMode: UpsampleMode;
  head: Head;
  /** Dropout in the inner decoder levels while training (the paper's noise: 0.5). Never at inference. */
  dropout: number;
  /**
   * Named guide planes the generator takes after the frame's RGB, in this order (for example
   * `['person-prior', 'flow-alpha']`): input channels = 3 + guides.length. Each plane is uint8,
   * 0..255, one byte per pixel. Default none. A checkpoint records them and loads only into a model
   * with the same guides.
   */
  guides: readonly string[];
  /**
   * The guide (one of `guides`, read as a probability v / 255) whose logit the composite head adds to
   * its alpha logit, so the network learns only the correction of that prior. Default none.
   */
  alphaPriorGuide?: string;
  ganLoss: GanLoss;
  /** Weight of the L1 term (the paper: 100). */
  lambdaL1: number;
  /** Adam learning rate (the paper: 2e-4). */
  lr: number;
  /** Adam beta1 (the paper: 0.5). */
  beta1: number;
  /** Adam beta2 (0.999). */
  beta2: number;
  /** Decay of an exponential moving average of the generator weights; 0 = off. When on, generate uses the average. */
  emaDecay: number;
  precision: Precision;
}

/** Names of the built-in presets. */
export type PresetName = 'pix2pix-unet256' | 'fast';

/** Fields that change the tensors (or what they compute): a checkpoint must match them. */
export const ARCHITECTURE_KEYS = ['ngf', 'ndf', 'depth', 'discLayers', 'norm', 'decoder', 'upsampleMode', 'head', 'guides', 'alphaPriorGuide'] as const;

/** How guide names are spelt: lower-case words joined by hyphens, as `person-prior`. */
const GUIDE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** At most this many guide planes. */
export const MAX_GUIDES = 16;

const PAPER_TRAINING = { dropout: 0.5, ganLoss: 'bce', lambdaL1: 100, lr: 2e-4, beta1: 0.5, beta2: 0.999, emaDecay: 0 } as const;

/**
 * The built-in presets.
 *
 * - `pix2pix-unet256`: the paper's generator exactly (ngf 64, depth 8, ConvTranspose decoder, batch norm,
 *   tanh RGB head; 54.4M parameters) and its 70x70 PatchGAN.
 * - `fast`: the default, chosen by measurement on a 2-core CPU (docs/ENGINE.md): a narrower, shallower
 *   U-Net with the upsample decoder, instance norm and the composite head, and a narrower discriminator.
 */
export const PRESETS: Readonly<Record<PresetName, Omit<ModelOptions, 'preset'>>> = {
  'pix2pix-unet256': {
    ngf: 64,
    ndf: 64,
    depth: 8,
    discLayers: 3,
    norm: 'batch',
    decoder: 'transpose',
    upsampleMode: 'nearest',
    head: 'rgb',
    guides: [],
    precision: 'fp32',
    ...PAPER_TRAINING,
  },
  fast: {
    ngf: 16,
    ndf: 16,
    depth: 5,
    discLayers: 3,
    norm: 'instance',
    decoder: 'upsample',
    upsampleMode: 'nearest',
    head: 'composite',
    guides: [],
    precision: 'fp32',
    ...PAPER_TRAINING,
    // Few-shot drills learn a deterministic edit; the paper's dropout noise only slows them down.
    dropout: 0,
  },
};

/** The preset used when none is named. */
export const DEFAULT_PRESET: PresetName = 'fast';

const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/**
 * Resolves a preset plus overrides into complete, validated options.
 *
 * @example resolveModelOptions({ preset: 'fast', ngf: 24 })
 * @throws {InvalidOptionError} an unknown preset or a field outside its rule.
 */
export function resolveModelOptions(input: Partial<ModelOptions> = {}): ModelOptions {
  const preset = expectOneOf('model.preset', input.preset ?? DEFAULT_PRESET, PRESET_NAMES);
  const merged: ModelOptions = { ...PRESETS[preset], ...stripUndefined(input), preset };
  return validateModelOptions(merged);
}

/**
 * Validates complete options (for example read back from a checkpoint) and returns them normalised:
 * options saved before guides existed get `guides: []`.
 *
 * @throws {InvalidOptionError}
 */
export function validateModelOptions(input: ModelOptions): ModelOptions {
  const o: ModelOptions = { ...input, guides: input.guides ?? [] };
  if (o.alphaPriorGuide === undefined) delete o.alphaPriorGuide;
  validateGuides(o);
  if (typeof o.preset !== 'string' || o.preset.length === 0) {
    throw new InvalidOptionError(`Expected a preset name for model.preset but received ${String(o.preset)}`);
  }
  expectInteger('model.ngf', o.ngf, 1, 512);
  expectInteger('model.ndf', o.ndf, 1, 512);
  expectInteger('model.depth', o.depth, 2, 10);
  expectInteger('model.discLayers', o.discLayers, 1, 6);
  expectOneOf('model.norm', o.norm, ['batch', 'instance', 'none'] as const);
  expectOneOf('model.decoder', o.decoder, ['transpose', 'upsample'] as const);
  expectOneOf('model.upsampleMode', o.upsampleMode, ['nearest', 'bilinear'] as const);
  expectOneOf('model.head', o.head, ['rgb', 'composite'] as const);
  expectNumber('model.dropout', o.dropout, 0, 0.9);
  expectOneOf('model.ganLoss', o.ganLoss, ['bce', 'lsgan'] as const);
  expectNumber('model.lambdaL1', o.lambdaL1, 0, 1e6);
  expectNumber('model.lr', o.lr, 0, 1);
  expectNumber('model.beta1', o.beta1, 0, 0.999999);
  expectNumber('model.beta2', o.beta2, 0, 0.999999);
  expectNumber('model.emaDecay', o.emaDecay, 0, 0.999999);
  expectOneOf('model.precision', o.precision, ['fp32', 'bf16'] as const);
  return o;
}

/**
 * One line naming a model's architecture, for messages: `fast (ngf 16, ndf 32, depth 6, ...)`. Guides
 * and the alpha prior are named only when there are any.
 *
 * @example describeArchitecture(resolveModelOptions()) // 'fast (ngf 16, ndf 32, depth 6, ...)'
 */
export function describeArchitecture(o: ModelOptions): string {
  const parts = ARCHITECTURE_KEYS.flatMap((key) => {
    if (key === 'guides') return (o.guides ?? []).length > 0 ? [`guides ${describeGuides(o.guides)}`] : [];
    if (key === 'alphaPriorGuide') return o.alphaPriorGuide !== undefined ? [`alphaPriorGuide ${o.alphaPriorGuide}`] : [];
    return [`${key} ${o[key]}`];
  });
  return `${o.preset} (${parts.join(', ')})`;
}

/** Guide names as messages show them: `[person-prior, flow-alpha]`, `[]` for none. */
export function describeGuides(guides: readonly string[] | undefined): string {
  return `[${(guides ?? []).join(', ')}]`;
}

/** The architecture fields on which `a` and `b` differ (empty when a checkpoint of `a` fits a model of `b`). */
export function architectureDifferences(a: ModelOptions, b: ModelOptions): string[] {
  return ARCHITECTURE_KEYS.filter((key) =>
    key === 'guides' ? describeGuides(a.guides) !== describeGuides(b.guides) : a[key] !== b[key],
  );
}

function validateGuides(o: ModelOptions): void {
  if (!Array.isArray(o.guides) || o.guides.length > MAX_GUIDES) {
    throw new InvalidOptionError(`Expected an array of at most ${MAX_GUIDES} guide names for model.guides but received ${JSON.stringify(o.guides)}`);
  }
  const seen = new Set<string>();
  for (const name of o.guides) {
    if (typeof name !== 'string' || !GUIDE_NAME.test(name)) {
      throw new InvalidOptionError(
        `Expected guide names of lower-case words joined by hyphens (as person-prior) for model.guides but received ${JSON.stringify(name)}`,
      );
    }
    if (seen.has(name)) throw new InvalidOptionError(`Expected distinct guide names for model.guides but received ${name} twice`);
    seen.add(name);
  }
  if (o.alphaPriorGuide !== undefined) {
    if (!o.guides.includes(o.alphaPriorGuide)) {
      throw new InvalidOptionError(
        `Expected one of the guides ${describeGuides(o.guides)} for model.alphaPriorGuide but received ${JSON.stringify(o.alphaPriorGuide)}`,
      );
    }
    if (o.head !== 'composite') {
      throw new InvalidOptionError(`Expected head 'composite' with model.alphaPriorGuide but received head '${o.head}'; only the composite head has an alpha logit.`);
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
