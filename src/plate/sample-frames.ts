import type { Observable } from 'rxjs';
import type { Frame } from '../pipeline/frame';
import { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger } from '../pipeline/validate';

/** Options of {@link sampleFrames}. */
export interface SampleFramesOptions {
  /** A pass over the video, paced by the budget it is given (as `decodeVideo` with `budget`). */
  readonly frames: (budget: FrameBudget) => Observable<Frame>;
  /** The most frames kept as samples (default 60); between half of it and all of it are returned. */
  readonly maxSamples?: number;
  /** Frames kept whatever the sampling (the edited frames): index → frame. */
  readonly keep?: ReadonlySet<number>;
}

/** What {@link sampleFrames} kept. */
export interface SampledFrames {
  /** Frames spread evenly over the whole video (every `stride`th from frame 0), in index order. */
  readonly samples: Frame[];
  /** The frames named in `keep` that the pass reached. */
  readonly kept: Map<number, Frame>;
  /** The spacing of the samples, in frames. */
  readonly stride: number;
  /** Frames the pass delivered. */
  readonly frameCount: number;
}

/**
 * One pass over a video that keeps frames spread over all of it without knowing its length: every
 * `stride`th frame is kept, and whenever more than `maxSamples` are held the stride doubles and every
 * other sample is dropped. Memory stays flat (at most `maxSamples` frames plus the kept ones) for a
 * video of any length.
 *
 * @example
 * const { samples } = await sampleFrames({ frames: (budget) => decodeVideo(video, { fps: 10, crop: 400, budget }) });
 * @throws {InvalidOptionError} for a bad `maxSamples`. Rejects with the pass's own errors.
 */
export async function sampleFrames(options: SampleFramesOptions): Promise<SampledFrames> {
  const maxSamples = expectInteger('plate.maxSamples', options.maxSamples ?? 60, 2, 1000);
  const keep = options.keep ?? new Set<number>();
  const budget = new FrameBudget(4);
  let samples: Frame[] = [];
  const kept = new Map<number, Frame>();
  let stride = 1;
  let frameCount = 0;
  await new Promise<void>((resolve, reject) => {
    options.frames(budget).subscribe({
      next: (frame) => {
        frameCount++;
        if (keep.has(frame.index)) kept.set(frame.index, frame);
        if (frame.index % stride === 0) samples.push(frame);
        if (samples.length > maxSamples) {
          stride *= 2;
          samples = samples.filter((s) => s.index % stride === 0);
        }
        budget.releaseThrough(frame.index);
      },
      error: (error: unknown) => reject(error),
      complete: () => resolve(),
    });
  });
  return { samples, kept, stride, frameCount };
}
