import { InvalidOptionError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';
import { MASK_THRESHOLD } from './mask-iou';

/** Options of {@link flicker} and {@link flickerSeries}. */
export interface FlickerOptions {
  /**
   * An input pixel counts as changed between two frames when one of its channels moved by more than
   * this many levels (0–254). Default 24: above the frame-to-frame noise of compressed footage, well
   * below the contrast of a moving edge.
   */
  changeTolerance?: number;
}

/** The temporal stability of one transition, frame `index` to frame `index + 1`. */
export interface FlickerStep {
  /** Index of the first frame of the transition in the sequences given. */
  index: number;
  /** Fraction of pixels whose output mask flipped (see {@link maskChange}). */
  maskChange: number;
  /** Fraction of pixels whose input changed by more than `changeTolerance`. */
  inputChange: number;
  /** Fraction of pixels whose mask flipped although their input did not change: the flicker. */
  flicker: number;
}

/**
 * Per-transition temporal stability of a derived output mask compared with the input's own change.
 * See {@link flicker} for the definition.
 *
 * @example
 * flickerSeries(masks, frames.map((f) => f.data)).map((s) => s.flicker);
 * @throws {InvalidOptionError} when the sequences differ in length or a frame's size does not match.
 */
export function flickerSeries(
  masks: readonly Uint8Array[],
  inputs: readonly Uint8Array[],
  options: FlickerOptions = {},
): FlickerStep[] {
  const tolerance = expectInteger('flicker.changeTolerance', options.changeTolerance ?? 24, 0, 254);
  if (masks.length !== inputs.length) {
    throw new InvalidOptionError(
      `Expected as many input frames as masks for flicker but received ${inputs.length} frames and ${masks.length} masks.`,
    );
  }
  const steps: FlickerStep[] = [];
  for (let t = 0; t + 1 < masks.length; t++) {
    const m0 = masks[t];
    const m1 = masks[t + 1];
    const a = inputs[t];
    const b = inputs[t + 1];
    const n = m0.length;
    if (m1.length !== n || a.length !== n * 3 || b.length !== n * 3 || n === 0) {
      throw new InvalidOptionError(
        `Expected masks of ${n} bytes and RGB frames of ${n * 3} bytes for flicker but frames ${t} and ${t + 1} ` +
          `have masks of ${m0.length} and ${m1.length} and frames of ${a.length} and ${b.length} bytes.`,
      );
    }
    let flips = 0;
    let changed = 0;
    let unexplained = 0;
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const inputChanged =
        Math.abs(a[j] - b[j]) > tolerance ||
        Math.abs(a[j + 1] - b[j + 1]) > tolerance ||
        Math.abs(a[j + 2] - b[j + 2]) > tolerance;
      const flipped = m0[i] >= MASK_THRESHOLD !== m1[i] >= MASK_THRESHOLD;
      if (inputChanged) changed++;
      if (flipped) {
        flips++;
        if (!inputChanged) unexplained++;
      }
    }
    steps.push({ index: t, maskChange: flips / n, inputChange: changed / n, flicker: unexplained / n });
  }
  return steps;
}

/**
 * Flicker of an output mask sequence: the mean, over consecutive frame pairs, of the fraction of pixels
 * whose mask flipped (foreground ↔ background) although the input pixel itself did not change (no
 * channel moved by more than `changeTolerance`). Mask changes that follow a change of the input (a
 * moving person) are not flicker; flips over still input are. 0 for a steady result (and for fewer than
 * two frames); a mask that jitters over a still background scores up to 1. It is a fraction of the
 * frame, so 0.01 means 1% of the pixels flip per frame for no visible reason.
 *
 * `masks[t]` is the mask derived from output frame t (for example {@link nonWhiteMask}), `inputs[t]`
 * the packed RGB24 input frame t of the same size.
 *
 * @example
 * flicker(outputs.map((o) => nonWhiteMask(o, 400, 400)), inputs); // 0.004
 * @throws {InvalidOptionError} when the sequences differ in length or a frame's size does not match.
 */
export function flicker(masks: readonly Uint8Array[], inputs: readonly Uint8Array[], options: FlickerOptions = {}): number {
  const steps = flickerSeries(masks, inputs, options);
  if (steps.length === 0) return 0;
  let sum = 0;
  for (const s of steps) sum += s.flicker;
  return sum / steps.length;
}
