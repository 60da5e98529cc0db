import { map, Observable, type Subscription } from 'rxjs';
import { BadInputError, CancelledError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import { FrameBudget } from '../pipeline/frame-budget';
import type { FrameStage } from '../pipeline/frame-stage';
import { NO_DATA_ALPHA } from './blend-by-distance';
import { AlphaPropagator, type AlphaPropagatorOptions, type PropagatedAlpha } from './alpha-propagator';
import { greyPlane } from './grey-plane';
import type { Plane } from './plane';
import { withGuide } from './with-guide';

/** The guide name {@link propagateAlpha} attaches. */
export const FLOW_ALPHA_GUIDE = 'flow-alpha';

/** The plane {@link propagateAlpha} also attaches when given `vetoes`: the picks' vetoes carried to the frame. */
export const FLOW_VETO_PLANE = 'flow-veto';

/**
 * A second pass over the frames of the stream a stage sits in: the same indices, size and order,
 * paced by `budget` (take on emit, as decodeVideo does). Typically
 * `(budget) => decodeVideo(input, { fps, crop, budget })`.
 */
export type FramePass = (budget: FrameBudget) => Observable<Frame>;

/** Options of {@link propagateAlpha}. */
export interface PropagateAlphaOptions extends Omit<AlphaPropagatorOptions, 'width' | 'height'> {
  /** The second pass over the same frames that the propagation reads ahead in. */
  readonly frames: FramePass;
}

/**
 * A stage that attaches to every frame the alpha of the edited frames (picks) carried there by
 * optical flow, as `frame.guides['flow-alpha']` ({@link AlphaPropagator}: forward from the previous
 * pick, backward from the next, blended by distance; 128 where no pick reaches, e.g. after a cut;
 * a pick's own edit on the pick). With `vetoes`, the picks' vetoes travel along the same flows and
 * are attached too, as `frame.guides['flow-veto']` (0 where no pick reaches).
 *
 * The backward half needs frames from the future, so the stage reads ahead in its own pass over the
 * video (`frames`: decode twice) instead of holding the stream's frames: the stream keeps its own
 * `FrameBudget`, and the read-ahead keeps at most `maxHeldFrames + 2` frames, as grey planes and
 * alphas (4 bytes a pixel; 6 with vetoes), so memory stays flat for any length. The read-ahead's ffmpeg runs beside the stream's.
 *
 * @example
 * decodeVideo(input, { fps: 10, crop: 400, budget })
 *   .pipe(propagateAlpha({ picks, frames: (b) => decodeVideo(input, { fps: 10, crop: 400, budget: b }) }), …);
 * @throws {InvalidOptionError} for a bad cap or threshold (when the first frame arrives: the size comes from it;
 *   with no picks nothing is propagated and they are not read).
 * Emits {@link EngineError} when the flow fails, {@link BadInputError} when the second pass has no
 * frame the stream has, and the second pass's own errors.
 */
export function propagateAlpha(options: PropagateAlphaOptions): FrameStage {
  // No pick reaches any frame: every alpha is "no data", with no second pass and no flow (a model
  // applied without edits, as `vidgan batch --model` runs it, paid two flows and a decode a frame).
  if (options.picks.size === 0) return map((frame) => withGuide(frame, FLOW_ALPHA_GUIDE, noData(frame.width * frame.height)));
  return (source) =>
    new Observable<Frame>((subscriber) => {
      const lookahead = new ReadAhead(options);
      let chain: Promise<void> = Promise.resolve();
      let closed = false;
      const subscription = source.subscribe({
        next: (frame) => {
          chain = chain.then(async () => {
            if (closed) return;
            try {
              const found = await lookahead.alphaFor(frame.index);
              const withAlpha = withGuide(frame, FLOW_ALPHA_GUIDE, found.alpha);
              if (!closed) subscriber.next(found.veto ? withGuide(withAlpha, FLOW_VETO_PLANE, found.veto) : withAlpha);
            } catch (error) {
              closed = true;
              subscriber.error(error);
            }
          });
        },
        error: (error: unknown) => {
          chain = chain.then(() => (closed ? undefined : subscriber.error(error)));
        },
        complete: () => {
          chain = chain.then(() => (closed ? undefined : subscriber.complete()));
        },
      });
      return () => {
        closed = true;
        subscription.unsubscribe();
        lookahead.close();
      };
    });
}

/** The stage's own pass over the video: pushes its frames through a propagator and keeps the alphas until asked. */
class ReadAhead {
  private readonly budget: FrameBudget;
  private readonly ready = new Map<number, PropagatedAlpha>();
  private waiter?: { index: number; resolve: (found: PropagatedAlpha) => void; reject: (error: unknown) => void };
  private propagator?: AlphaPropagator;
  private failure?: { error: unknown };
  private ended = false;
  private lastIndex = -1;
  private chain: Promise<void> = Promise.resolve();
  private subscription?: Subscription;

  constructor(private readonly options: PropagateAlphaOptions) {
    // The stream waits on frame t while the propagation needs every frame up to t's next pick (at most
    // maxHeldFrames ahead); one more frame of slack keeps the read-ahead from stalling on the boundary.
    this.budget = new FrameBudget((options.maxHeldFrames ?? 150) + 2);
  }

  alphaFor(index: number): Promise<PropagatedAlpha> {
    this.start();
    return new Promise((resolve, reject) => {
      this.waiter = { index, resolve, reject };
      this.settle();
    });
  }

  close(): void {
    this.failure ??= { error: new CancelledError('propagateAlpha was unsubscribed.') };
    this.subscription?.unsubscribe();
    this.budget.releaseAll();
  }

  private start(): void {
    if (this.subscription) return;
    this.subscription = this.options.frames(this.budget).subscribe({
      next: (frame) => {
        // Only the grey plane waits in the queue (a third of the RGB), so the read-ahead stays small.
        let grey: Plane;
        try {
          grey = greyPlane(frame.data, frame.width, frame.height);
          this.propagator ??= new AlphaPropagator({ ...this.options, width: grey.width, height: grey.height });
          // Its flow starts now, while the frames before it are still being pushed.
          this.propagator.ahead(frame.index, grey);
        } catch (error) {
          this.chain = this.chain.then(() => this.fail(error));
          return;
        }
        this.chain = this.chain.then(() => this.push(frame.index, grey));
      },
      error: (error: unknown) => {
        this.chain = this.chain.then(() => this.fail(error));
      },
      complete: () => {
        this.chain = this.chain.then(async () => {
          if (this.failure || !this.propagator) return this.end();
          try {
            this.accept((await this.propagator.finish()).frames);
            this.end();
          } catch (error) {
            this.fail(error);
          }
        });
      },
    });
  }

  private async push(index: number, grey: Plane): Promise<void> {
    if (this.failure) return;
    try {
      this.accept((await this.propagator!.push(index, grey)).frames);
    } catch (error) {
      this.fail(error);
    }
  }

  private accept(frames: PropagatedAlpha[]): void {
    for (const f of frames) {
      this.ready.set(f.index, f);
      this.lastIndex = f.index;
    }
    this.settle();
  }

  private fail(error: unknown): void {
    this.failure ??= { error };
    this.subscription?.unsubscribe();
    this.settle();
  }

  private end(): void {
    this.ended = true;
    this.settle();
  }

  /** Answers the waiting frame when its alpha is known, freeing every earlier alpha and read-ahead frame. */
  private settle(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const found = this.ready.get(waiter.index);
    if (found !== undefined) {
      for (const key of this.ready.keys()) {
        if (key > waiter.index) break;
        this.ready.delete(key);
      }
      this.budget.releaseThrough(waiter.index);
      this.waiter = undefined;
      waiter.resolve(found);
    } else if (this.failure) {
      this.waiter = undefined;
      waiter.reject(this.failure.error);
    } else if (this.ended || waiter.index < this.lastIndex) {
      this.waiter = undefined;
      waiter.reject(
        new BadInputError(
          `propagateAlpha: the second pass over the video has no frame ${waiter.index} (it ended after frame ${this.lastIndex}); ` +
            'give it the same input, fps and crop as the stream.',
        ),
      );
    }
  }
}

/** A plane of {@link NO_DATA_ALPHA}, shared per size (planes are read-only once attached). */
const noDataPlanes = new Map<number, Uint8Array>();
function noData(size: number): Uint8Array {
  let plane = noDataPlanes.get(size);
  if (plane === undefined) {
    plane = new Uint8Array(size).fill(NO_DATA_ALPHA);
    noDataPlanes.set(size, plane);
  }
  return plane;
}
