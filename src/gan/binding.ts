/**
 * The one file that loads the native engine (build/Release/vidgan_native.node) and declares its
 * exact surface. Everything else talks to the engine through the facade in pix2pix.ts.
 */
import * as path from 'path';
import { EngineLoadError } from '../pipeline/errors';

/** Losses of one train step, as the engine reports them. */
export interface NativeLosses {
  gan: number;
  l1: number;
  d: number;
  total: number;
}

/** A named float32 tensor crossing the native boundary (row-major, standard layout). */
export interface NativeTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A tensor name and shape, without data. */
export interface NativeTensorShape {
  name: string;
  shape: number[];
}

/**
 * The flat options object `createModel()` reads, strictly: every key must be there and no other
 * (a missing or unknown key throws a TypeError naming it). src/gan/model-options.ts validates first.
 */
export interface NativeModelOptions {
  ngf: number;
  ndf: number;
  depth: number;
  discLayers: number;
  norm: 'batch' | 'instance' | 'none';
  decoder: 'transpose' | 'upsample';
  upsampleMode: 'nearest' | 'bilinear';
  head: 'rgb' | 'composite';
  dropout: number;
  /** Guide planes after the RGB (input channels = 3 + guideCount). */
  guideCount: number;
  /** Index of the guide whose logit is added to the alpha logit; -1 = none. */
  alphaPriorGuide: number;
  ganLoss: 'bce' | 'lsgan';
  lambdaL1: number;
  lr: number;
  beta1: number;
  beta2: number;
  emaDecay: number;
  precision: 'fp32' | 'bf16';
  seed: number;
  threads: number;
  device: 'cpu' | 'cuda';
}

/**
 * A native model handle. Frames are uint8 RGB, packed N x H x W x 3; guides are uint8 planes packed
 * N x guideCount x H x W (null for a model without guides). The caller checks sizes first. Every
 * Promise-returning call runs on the engine's one torch thread; no libuv pool thread waits for it.
 */
export interface NativeModel {
  /** Rejects with an Error; `error.diverged === true` when a loss was NaN or infinite. */
  trainStep(
    inputs: Uint8Array,
    guides: Uint8Array | null,
    targets: Uint8Array,
    count: number,
    height: number,
    width: number,
    weights?: Uint8Array | null,
    mattes?: Uint8Array | null,
  ): Promise<NativeLosses>;
  /**
   * `alpha` (N x H x W) only when asked and the head is `composite`. `lane` -1 (default): the torch
   * thread with the model's threads; 0 … generationLanes - 1: that generation lane, with its share.
   */
  generate(
    inputs: Uint8Array,
    guides: Uint8Array | null,
    count: number,
    height: number,
    width: number,
    wantAlpha: boolean,
    lane?: number,
  ): Promise<{ rgb: Uint8Array; alpha?: Uint8Array }>;
  /** Copies of the state tensors; `inferenceOnly`: just the weights generate uses, named generator.*. */
  exportState(inferenceOnly: boolean): Promise<NativeTensor[]>;
  stateShapes(inferenceOnly: boolean): NativeTensorShape[];
  /**
   * Copies tensors into the state on the torch thread (the data arrays must not change until it
   * settles); rejects on an unknown name or a shape mismatch, or (requireAll) a missing one.
   */
  importState(tensors: NativeTensor[], requireAll: boolean): Promise<void>;
  /** The state of the model's own random generator (dropout), as bytes. */
  getRngState(): Uint8Array;
  setRngState(state: Uint8Array): void;
  setLearningRate(lr: number): void;
  /** The libtorch threads the model computes with (its threads, else OMP_NUM_THREADS, else every core). */
  threadCount(): number;
  setAlphaLoss(weight: number, edgeWeight?: number): void;
  getStep(): number;
  setStep(step: number): void;
  parameterCounts(): { generator: number; discriminator: number };
  /** Releases the weights once running calls finish; later calls throw. */
  dispose(): void;
}

/**
 * One operator of a native image-to-mask graph, in torch semantics (NCHW; weights OIHW, transposed
 * ones IOHW); src/prior/compile-graph.ts builds them from a TensorFlow Lite model. `pad` is
 * [top, bottom, left, right] (for `convTranspose2d`, the rows and columns cropped), `size` is
 * [height, width] of the output.
 */
export interface NativeGraphOp {
  kind: 'conv2d' | 'convTranspose2d' | 'add' | 'mul' | 'hardSwish' | 'relu' | 'relu6' | 'sigmoid' | 'avgPool2d' | 'globalAvgPool' | 'resizeBilinear';
  inputs: number[];
  output: number;
  stride?: [number, number];
  dilation?: [number, number];
  kernel?: [number, number];
  pad?: [number, number, number, number];
  size?: [number, number];
  groups?: number;
  alignCorners?: boolean;
  /** Applied to the output in place; compileGraph folds a following RELU, RELU6 or HARD_SWISH operator into it. */
  activation?: 'none' | 'relu' | 'relu6' | 'hardSwish';
}

/** A graph from one RGB input (values in [0, 1], N x 3 x inputHeight x inputWidth) to one single-channel output. */
export interface NativeGraphSpec {
  ops: NativeGraphOp[];
  constants: Array<{ index: number; shape: number[]; data: Float32Array }>;
  tensorCount: number;
  input: number;
  output: number;
  inputHeight: number;
  inputWidth: number;
}

/** A native graph handle; its Promise-returning calls run on the engine's one torch thread. */
export interface NativeTfliteGraph {
  /** uint8 RGB frames (N x H x W x 3) in, the output resized to H x W as bytes (N x H x W, value x 255) out. */
  run(frames: Uint8Array, count: number, height: number, width: number): Promise<Uint8Array>;
  /** The raw graph on a float NCHW input of the graph's size. */
  forward(input: Float32Array, shape: number[]): Promise<{ shape: number[]; data: Float32Array }>;
  /** Releases the weights once running calls finish; later calls throw. */
  dispose(): void;
}

/** The addon's exports. */
export interface NativeBinding {
  /** Builds a model on the torch thread. Throws a TypeError at once for a missing or unknown option key. */
  createModel(options: NativeModelOptions): Promise<NativeModel>;
  /** Builds a graph executor (src/prior/person-prior.ts); throws a TypeError or RangeError for a malformed spec. */
  TfliteGraph: new (spec: NativeGraphSpec) => NativeTfliteGraph;
  cudaAvailable(): boolean;
  setNumThreads(threads: number): void;
  getNumThreads(): number;
  /** Threads beside the torch thread on which generate calls run at once (native/model.h kGenerationLanes). */
  generationLanes: number;
  torchVersion: string;
  /** DIS flow of grey `prev` to `next` (preset 0-3, frames shrunk by `scale` first): packed (dx, dy), see src/flow/compute-flow.ts. */
  computeFlow(prev: Uint8Array, next: Uint8Array, width: number, height: number, preset: number, scale: number): Promise<Float32Array>;
  /** `plane` sampled at x + flow(x), bilinear, borders replicated; see src/flow/warp-plane.ts. */
  warpPlane(plane: Uint8Array, flow: Float32Array, width: number, height: number): Promise<Uint8Array>;
  opencvVersion: string;
}

const ADDON = path.resolve(__dirname, '..', '..', 'build', 'Release', 'vidgan_native.node');

let cached: NativeBinding | undefined;

/**
 * Loads the native engine once and returns it.
 *
 * @example const native = loadBinding(); native.cudaAvailable();
 * @throws {EngineLoadError} the addon is not built, or libtorch cannot be loaded; the message lists the fixes.
 */
export function loadBinding(): NativeBinding {
  if (cached) return cached;
  // libgomp reads this once, when libtorch loads it. Its default (spin while waiting) collapses when
  // another process holds a core, as ffmpeg does beside the generator: a 64x64 train step went from
  // 95 ms to 850-1270 ms under load with spinning threads. Passive waiting costs nothing measurable
  // at 400x400. An explicit OMP_WAIT_POLICY wins.
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  // OpenBLAS (Debian's libopenblas0-pthread, the BLAS behind libtorch when installed) runs its own
  // spinning thread pool. The person prior runs on a libuv thread beside the torch thread, and two
  // callers of that pool on a busy machine spun for half an hour in exec_blas_async (seen in a bench).
  // libtorch's large convolutions go to oneDNN and its OpenMP threads anyway; BLAS gets the small ones.
  if (process.env.OPENBLAS_NUM_THREADS === undefined) process.env.OPENBLAS_NUM_THREADS = '1';
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    cached = require(ADDON) as NativeBinding;
    return cached;
  } catch (err) {
    const message = (err as { message?: unknown } | null)?.message;
    const reason = typeof message === 'string' ? message.split('\n')[0] : String(err);
    throw new EngineLoadError(
      `The native engine could not be loaded from ${ADDON}: ${reason}. Fixes: ` +
        'install libtorch (apt-get install libtorch-dev), or point LIBTORCH at a libtorch folder or a PyTorch ' +
        "installation's torch folder; then rebuild with `npm run build:native`.",
      { cause: err },
    );
  }
}
