import { map, type OperatorFunction } from 'rxjs';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectNumber } from '../pipeline/validate';

/** Options of {@link snapAlpha}. */
export interface SnapAlphaOptions {
  /** Alpha at or below this (0..1) becomes 0: background. Default 0.15. */
  readonly low?: number;
  /** Alpha at or above this becomes 1: subject. Default 0.85. */
  readonly high?: number;
}

/**
 * A stage that makes the composite head's alpha reach exactly 0 on background and 1 inside: alpha
 * is stretched so that `low` maps to 0 and `high` to 1, and each pixel is composited again over white
 * from the foreground colour the head predicted (recovered from the composite and the alpha). Soft
 * edges stay soft; the faint haze a generator leaves over background (alpha that never reaches 0,
 * which tints a white background) goes. Frames without an alpha plane pass unchanged.
 *
 * @example
 * decodeVideo(src, { crop: 400, budget }).pipe(generate(model), snapAlpha(), encodeVideo(out, { budget }));
 * @throws {InvalidOptionError} unless 0 <= low < high <= 1.
 */
export function snapAlpha(options: SnapAlphaOptions = {}): OperatorFunction<Frame, Frame> {
  const low = expectNumber('snapAlpha.low', options.low ?? 0.15, 0, 0.99);
  const high = expectNumber('snapAlpha.high', options.high ?? 0.85, low + 0.01, 1);
  return map((frame) => (frame.alpha === undefined ? frame : snapFrame(frame, frame.alpha, low, high)));
}

function snapFrame(frame: Frame, alpha: Uint8Array, low: number, high: number): Frame {
  const rgb = new Uint8Array(frame.data.length);
  const snapped = new Uint8Array(alpha.length);
  for (let p = 0; p < alpha.length; p++) {
    const a = alpha[p]! / 255;
    const s = Math.min(1, Math.max(0, (a - low) / (high - low)));
    snapped[p] = Math.round(s * 255);
    for (let c = 0; c < 3; c++) {
      const composite = frame.data[p * 3 + c]!;
      // composite = a·fg + (1 − a)·255, so fg = (composite − (1 − a)·255) / a where a > 0.
      const fg = a > 1e-3 ? (composite - (1 - a) * 255) / a : 255;
      rgb[p * 3 + c] = Math.min(255, Math.max(0, Math.round(s * fg + (1 - s) * 255)));
    }
  }
  return withPixels(frame, rgb, frame.width, frame.height, { alpha: snapped });
}
