import { bufferCount, concatMap, from, type OperatorFunction } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';
import type { PersonPrior } from '../prior/person-prior';

/** The guide name the person prior's plane travels under. */
export const PERSON_PRIOR_GUIDE = 'person-prior';

/** Options of {@link personPrior}. */
export interface PersonPriorStageOptions {
  /** Frames per engine call. Default 2, as {@link generate}; at most the pipeline's `FrameBudget.maxInFlight`. */
  readonly batchSize?: number;
}

/**
 * A stage that attaches MediaPipe's person probability to every frame as `frame.guides['person-prior']`
 * (`width * height` bytes, 255 = person). Pixels and other guides pass unchanged; frames keep their order.
 *
 * @example
 * const prior = await PersonPrior.load();
 * decodeVideo('in.mp4', { crop: 400, budget }).pipe(personPrior(prior), generate(model), encodeVideo('out.mp4', { budget }));
 * @throws {InvalidOptionError} when batchSize is not an integer in [1, 64].
 * Emits {@link EngineError} when the engine fails.
 */
export function personPrior(prior: PersonPrior, options: PersonPriorStageOptions = {}): OperatorFunction<Frame, Frame> {
  const batchSize = expectInteger('batchSize', options.batchSize ?? 2, 1, 64);
  return (source) =>
    source.pipe(
      bufferCount(batchSize),
      concatMap((frames) => from(attach(prior, frames))),
      concatMap((frames) => from(frames)),
    );
}

async function attach(prior: PersonPrior, frames: Frame[]): Promise<Frame[]> {
  const planes = await prior.probability(frames);
  return frames.map((frame, i) => Object.freeze({ ...frame, guides: Object.freeze({ ...frame.guides, [PERSON_PRIOR_GUIDE]: planes[i]! }) }));
}
