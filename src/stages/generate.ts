import { bufferCount, concatMap, from, type OperatorFunction } from 'rxjs';
import { mapInOrder } from '../pipeline/map-in-order';
import type { Pix2Pix } from '../gan/pix2pix';
import { describeGuides } from '../gan/model-options';
import { BadInputError, InvalidOptionError } from '../pipeline/errors';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';

/** Options of {@link generate}. */
export interface GenerateOptions {
  /**
   * Frames per engine call. Default 2: on this 2-core CPU a batch of two keeps oneDNN's threads busy
   * without holding more frames back; it must not exceed the pipeline's `FrameBudget.maxInFlight`.
   */
  readonly batchSize?: number;
  /**
   * Attach the composite head's alpha mask to every output frame (`frame.alpha`, 255 = subject).
   * Default true for a model with the composite head; the `rgb` head has no alpha.
   */
  readonly alpha?: boolean;
  /**
   * Batches generated at once, each on its own generation lane ({@link Pix2Pix.generationLanes}) with
   * its share of the model's threads; frames still come out in order. Default `model.lanes` (2 on a
   * 2-core machine: about 1.4x the frames/s of one batch at a time with both threads); 1 runs one
   * batch at a time on the torch thread, as before lanes. Up to `batchSize * lanes` frames are in the
   * engine at once, within the pipeline's `FrameBudget`.
   */
  readonly lanes?: number;
}

/**
 * A stage that runs every frame through a pix2pix generator. Frames are batched, sent to the engine
 * off the event loop (so ffmpeg keeps decoding and encoding meanwhile), and come out in order with
 * their index and time. All frames of a batch must share one size. A model trained with guides reads
 * them from each frame's `guides` (by name, in the model's order); the composite head's alpha is
 * attached as `frame.alpha`.
 *
 * @example
 * decodeVideo('in.mp4', { crop: 400, budget }).pipe(generate(model), encodeVideo('out.mp4', { budget }));
 * @throws {InvalidOptionError} when batchSize is not an integer in [1, 64], lanes not one in [1, model.lanes], or alpha is asked of an rgb head.
 * Emits {@link BadInputError} when a frame lacks a guide the model needs, {@link EngineError} when the engine fails.
 */
export function generate(model: Pix2Pix, options: GenerateOptions = {}): OperatorFunction<Frame, Frame> {
  const batchSize = expectInteger('batchSize', options.batchSize ?? 2, 1, 64);
  const composite = model.options.head === 'composite';
  if (options.alpha === true && !composite) {
    throw new InvalidOptionError(
      `Expected alpha false for generate with a '${model.options.head}' head but received true; only the 'composite' head predicts alpha.`,
    );
  }
  const alpha = options.alpha ?? composite;
  const lanes = options.lanes === undefined ? model.lanes : expectInteger('lanes', options.lanes, 1, model.lanes);
  return (source) =>
    source.pipe(
      bufferCount(batchSize),
      mapInOrder((frames, lane) => generateBatch(model, frames, alpha, lanes > 1 ? lane : undefined), lanes),
      concatMap((frames) => from(frames)),
    );
}

async function generateBatch(model: Pix2Pix, frames: Frame[], wantAlpha: boolean, lane: number | undefined): Promise<Frame[]> {
  const { width, height } = frames[0]!;
  const pixels = width * height;
  const bytes = pixels * 3;
  const inputs = new Uint8Array(frames.length * bytes);
  frames.forEach((frame, i) => inputs.set(frame.data, i * bytes));
  const guides = packGuides(model.guides, frames, pixels);
  const { rgb, alpha } = await model.generate(inputs, frames.length, height, width, { alpha: wantAlpha, guides, ...(lane === undefined ? {} : { lane }) });
  return frames.map((frame, i) =>
    withPixels(frame, rgb.slice(i * bytes, (i + 1) * bytes), width, height, alpha ? { alpha: alpha.slice(i * pixels, (i + 1) * pixels) } : {}),
  );
}

/** The frames' guide planes packed N x G x H x W in the model's order; undefined for a model without guides. */
function packGuides(names: readonly string[], frames: readonly Frame[], pixels: number): Uint8Array | undefined {
  if (names.length === 0) return undefined;
  const out = new Uint8Array(frames.length * names.length * pixels);
  frames.forEach((frame, i) => {
    names.forEach((name, g) => {
      const plane = frame.guides?.[name];
      if (plane === undefined) {
        const has = Object.keys(frame.guides ?? {});
        throw new BadInputError(
          `Frame ${frame.index} has no '${name}' guide plane, which the model needs (it was trained with guides ${describeGuides(names)}; ` +
            `the frame carries ${describeGuides(has)}). Add the stage that computes '${name}' before generate, or use a model trained without it.`,
        );
      }
      if (plane.length !== pixels) {
        throw new BadInputError(`Frame ${frame.index}: its '${name}' guide plane holds ${plane.length} bytes, not ${pixels} (${frame.width}x${frame.height}).`);
      }
      out.set(plane, (i * names.length + g) * pixels);
    });
  });
  return out;
}
