import type { Frame } from '../pipeline/frame';

/** An input frame and the model's output for it, kept for a report's contact sheet. */
export interface SampledFrame {
  readonly index: number;
  readonly timeSec: number;
  readonly width: number;
  readonly height: number;
  /** Packed RGB24 input frame. */
  readonly input: Uint8Array;
  /** Packed RGB24 output frame. */
  readonly output: Uint8Array;
}

/**
 * Keeps the (input, output) pairs of a few chosen frames while a video streams through the model:
 * pass {@link FrameSampler.capture} as `processVideo`'s `onOutputFrame`. Only the chosen frames are
 * copied, so memory stays small whatever the video length.
 *
 * @example
 * const sampler = new FrameSampler(sampleIndices(total, 12, picks));
 * await processVideo({ ...options, onOutputFrame: sampler.capture });
 * sampler.samples; // 12 or so SampledFrames in index order
 */
export class FrameSampler {
  private readonly wanted: ReadonlySet<number>;
  private readonly kept = new Map<number, SampledFrame>();

  constructor(indices: Iterable<number>) {
    this.wanted = new Set(indices);
  }

  /** Keeps the pair when its index is one of the chosen; a bound function, safe to pass as a callback. */
  readonly capture = (input: Frame, output: Frame): void => {
    if (!this.wanted.has(output.index)) return;
    this.kept.set(output.index, {
      index: output.index,
      timeSec: output.timeSec,
      width: output.width,
      height: output.height,
      input: new Uint8Array(input.data),
      output: new Uint8Array(output.data),
    });
  };

  /** The pairs captured so far, in index order. */
  get samples(): SampledFrame[] {
    return [...this.kept.values()].sort((a, b) => a.index - b.index);
  }
}
