import * as fs from 'fs';
import { loadBinding, type NativeTfliteGraph } from '../gan/binding';
import { BadInputError, EngineError, EngineLoadError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import { expectOneOf } from '../pipeline/validate';
import { compileGraph } from './compile-graph';
import { readTflite } from './read-tflite';

/** MediaPipe selfie segmentation's two models: `general` takes 256x256, `landscape` 144x256 (height x width). */
export type PersonPriorModel = 'general' | 'landscape';

/** Options of {@link PersonPrior.load}. */
export interface PersonPriorOptions {
  /** Default `general`: on square 400x400 crops it is the one MediaPipe recommends and the sharper one. */
  readonly model?: PersonPriorModel;
  /** A .tflite file to read instead of the one in `@mediapipe/selfie_segmentation`. */
  readonly modelPath?: string;
}

const FILES: Readonly<Record<PersonPriorModel, string>> = {
  general: 'selfie_segmentation.tflite',
  landscape: 'selfie_segmentation_landscape.tflite',
};

/**
 * The path of one of MediaPipe's selfie segmentation models inside the installed npm package.
 *
 * @example personPriorModelPath('general'); // …/node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite
 * @throws {EngineLoadError} when `@mediapipe/selfie_segmentation` is not installed.
 */
export function personPriorModelPath(model: PersonPriorModel): string {
  const file = `@mediapipe/selfie_segmentation/${FILES[model]}`;
  try {
    return require.resolve(file);
  } catch (err) {
    throw new EngineLoadError(`The person prior's model ${file} was not found: install the package (npm install).`, { cause: err });
  }
}

/**
 * A per-pixel person probability from MediaPipe's selfie segmentation network (Apache-2.0), run by the
 * native engine with the weights read from the package's .tflite file: no TFLite runtime, no download.
 * Frames are resized (bilinear) to the model's input and the map back to the frame's size.
 *
 * @example
 * const prior = await PersonPrior.load();
 * const [plane] = await prior.probability([frame]); // width * height bytes, 255 = person
 * prior.dispose();
 */
export class PersonPrior {
  private constructor(
    private graph: NativeTfliteGraph | undefined,
    /** Which of the two models runs. */
    readonly model: PersonPriorModel,
    /** The model's input size. */
    readonly inputWidth: number,
    readonly inputHeight: number,
  ) {}

  /**
   * Reads the model file, translates it and builds the native graph.
   *
   * @throws {InvalidOptionError} for an unknown model name.
   * @throws {EngineLoadError} when the package or the native engine is missing.
   * @throws {BadInputError} when the file cannot be read or is not a model the executor implements.
   */
  static async load(options: PersonPriorOptions = {}): Promise<PersonPrior> {
    const model = expectOneOf('model', options.model ?? 'general', ['general', 'landscape'] as const);
    const file = options.modelPath ?? personPriorModelPath(model);
    let bytes: Uint8Array;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (err) {
      throw new BadInputError(`The person prior's model ${file} could not be read: ${(err as Error).message}.`, { cause: err, path: file });
    }
    const spec = compileGraph(readTflite(bytes, file), file);
    const native = loadBinding();
    let graph: NativeTfliteGraph;
    try {
      graph = new native.TfliteGraph(spec);
    } catch (err) {
      throw new EngineError(`The native engine refused the person prior's graph from ${file}: ${(err as Error).message}`, { cause: err });
    }
    return new PersonPrior(graph, model, spec.inputWidth, spec.inputHeight);
  }

  /**
   * The person probability of each frame at the frame's size, `width * height` bytes (0..255). Frames
   * of one size run as one batch.
   *
   * @throws {EngineError} when the engine fails or the prior was disposed.
   */
  async probability(frames: readonly Frame[]): Promise<Uint8Array[]> {
    const out = new Array<Uint8Array>(frames.length);
    const bySize = new Map<string, number[]>();
    frames.forEach((f, i) => {
      const key = `${f.width}x${f.height}`;
      bySize.set(key, [...(bySize.get(key) ?? []), i]);
    });
    for (const indices of bySize.values()) {
      const { width, height } = frames[indices[0]!]!;
      const bytes = width * height * 3;
      const rgb = new Uint8Array(indices.length * bytes);
      indices.forEach((frameIndex, k) => rgb.set(frames[frameIndex]!.data, k * bytes));
      const planes = await this.run(rgb, indices.length, height, width);
      indices.forEach((frameIndex, k) => (out[frameIndex] = planes.slice(k * width * height, (k + 1) * width * height)));
    }
    return out;
  }

  /** Releases the native weights once running calls finish; later calls reject. */
  dispose(): void {
    this.graph?.dispose();
    this.graph = undefined;
  }

  private async run(rgb: Uint8Array, count: number, height: number, width: number): Promise<Uint8Array> {
    if (this.graph === undefined) throw new EngineError('The person prior was disposed.');
    try {
      return await this.graph.run(rgb, count, height, width);
    } catch (err) {
      throw new EngineError(`The person prior failed on ${count} frame(s) of ${width}x${height}: ${(err as Error).message}`, { cause: err });
    }
  }
}
