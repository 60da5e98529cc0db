import { bufferCount, concatMap, from, type OperatorFunction } from 'rxjs';
import type { Pix2Pix } from '../gan/pix2pix';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';

/** Options of {@link generate}. */
export interface GenerateOptions {
  /**
   * Frames per engine call. Default 2: on this 2-core CPU a batch of two keeps oneDNN's threads busy
   * without holding more frames back; it must not exceed the pipeline's `FrameBudget.maxInFlight`.
   */
  readonly batchSize?: number;
}

/**
 * A stage that runs every frame through a pix2pix generator. Frames are batched, sent to the engine
 * off the event loop (so ffmpeg keeps decoding and encoding meanwhile), and come out in order with
 * their index and time. All frames of a batch must share one size.
 *
 * @example
 * decodeVideo('in.mp4', { crop: 400, budget }).pipe(generate(model), encodeVideo('out.mp4', { budget }));
 * @throws {InvalidOptionError} when batchSize is not an integer in [1, 64].
 * Emits {@link EngineError} when the engine fails.
 */
export function generate(model: Pix2Pix, options: GenerateOptions = {}): OperatorFunction<Frame, Frame> {
  const batchSize = expectInteger('batchSize', options.batchSize ?? 2, 1, 64);
  return (source) =>
    source.pipe(
      bufferCount(batchSize),
      concatMap((frames) => from(generateBatch(model, frames))),
      concatMap((frames) => from(frames)),
    );
}

async function generateBatch(model: Pix2Pix, frames: Frame[]): Promise<Frame[]> {
  const { width, height } = frames[0]!;
  const bytes = width * height * 3;
  const inputs = new Uint8Array(frames.length * bytes);
  frames.forEach((frame, i) => inputs.set(frame.data, i * bytes));
  const { rgb } = await model.generate(inputs, frames.length, height, width);
  return frames.map((frame, i) => withPixels(frame, rgb.slice(i * bytes, (i + 1) * bytes)));
}
