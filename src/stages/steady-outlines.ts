import { concatMap, defer, from, tap, type OperatorFunction } from 'rxjs';
import { computeFlow, type FlowOptions } from '../flow/compute-flow';
import { greyPlane } from '../flow/grey-plane';
import type { Plane } from '../flow/plane';
import { warpPlane } from '../flow/warp-plane';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectNumber } from '../pipeline/validate';

/** Options of {@link steadyOutlines}. */
export interface SteadyOutlinesOptions {
  /** How much of the previous output's alpha, carried forward, a pixel takes where the video agrees (0..0.95). Default 0.5. */
  readonly strength?: number;
  /** Grey levels of disagreement between a frame and its predecessor carried onto it, past which nothing is taken. Default 16. */
  readonly tolerance?: number;
  /** A mean disagreement above this (grey levels) is a cut: nothing is carried across. Default 40. */
  readonly cutResidual?: number;
  /** The flow (default DIS `ultrafast` at half size: the alpha it carries is smooth, so coarse flow suffices). */
  readonly flow?: FlowOptions;
}

/**
 * Steadies the outlines that `inner` (the generator) draws, frame to frame: the previous output's
 * alpha is carried onto each frame by optical flow (computed on the INPUT frames) and blended in where
 * the input agrees with its predecessor carried the same way, so an outline that wobbles while the
 * picture does not move is held, while one that moves with the person follows it (there the carried
 * picture and the frame agree too), and newly uncovered or changed pixels (large disagreement) keep
 * the generator's own alpha. The composite is recomputed from the new alpha over white, with the
 * foreground colour the generator painted (the input's colour where its alpha was too small to tell).
 * Frames without alpha pass unchanged; a cut (or a gap in the indices) starts afresh. State is one
 * frame, so memory stays flat.
 *
 * @example
 * decoded.pipe(kit.stage(), steadyOutlines(generate(model)), encodeVideo(out, { budget }));
 * @throws {InvalidOptionError} for an option outside its range.
 */
export function steadyOutlines(inner: OperatorFunction<Frame, Frame>, options: SteadyOutlinesOptions = {}): OperatorFunction<Frame, Frame> {
  const strength = expectNumber('steadyOutlines.strength', options.strength ?? 0.5, 0, 0.95);
  const tolerance = expectNumber('steadyOutlines.tolerance', options.tolerance ?? 16, 1, 255);
  const cutResidual = expectNumber('steadyOutlines.cutResidual', options.cutResidual ?? 40, 1, 255);
  const flow = options.flow ?? { preset: 'ultrafast', scale: 0.5 };
  return (source) =>
    defer(() => {
      const inputs = new Map<number, Frame>();
      let previous: { index: number; grey: Plane; alpha: Uint8Array } | undefined;
      const steady = async (output: Frame): Promise<Frame> => {
        const input = inputs.get(output.index);
        inputs.delete(output.index);
        if (input === undefined || output.alpha === undefined) return output;
        const grey = greyPlane(input.data, input.width, input.height);
        const before = previous;
        let alpha = output.alpha;
        if (before !== undefined && before.index === output.index - 1 && before.grey.width === grey.width && before.grey.height === grey.height) {
          const field = await computeFlow(grey, before.grey, flow);
          const [carriedGrey, carriedAlpha] = await Promise.all([warpPlane(before.grey, field), warpPlane({ ...before.grey, data: before.alpha }, field)]);
          alpha = blend(grey.data, carriedGrey.data, output.alpha, carriedAlpha.data, strength, tolerance, cutResidual);
        }
        previous = { index: output.index, grey, alpha };
        return alpha === output.alpha ? output : recomposite(output, input.data, alpha);
      };
      return source.pipe(
        tap((frame) => inputs.set(frame.index, frame)),
        inner,
        concatMap((output) => from(steady(output))),
      );
    });
}

/** The blended alpha, or `alpha` itself across a cut. */
function blend(grey: Uint8Array, carriedGrey: Uint8Array, alpha: Uint8Array, carried: Uint8Array, strength: number, tolerance: number, cutResidual: number): Uint8Array {
  let residual = 0;
  for (let i = 0; i < grey.length; i++) residual += Math.abs(grey[i]! - carriedGrey[i]!);
  if (residual / grey.length > cutResidual) return alpha;
  const out = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) {
    const weight = strength * Math.max(0, 1 - Math.abs(grey[i]! - carriedGrey[i]!) / tolerance);
    out[i] = Math.round(alpha[i]! + weight * (carried[i]! - alpha[i]!));
  }
  return out;
}

/** The composite over white again, with the new alpha: composite = a·fg + (1 − a)·255. */
function recomposite(output: Frame, input: Uint8Array, alpha: Uint8Array): Frame {
  const old = output.alpha!;
  const rgb = new Uint8Array(output.data.length);
  for (let p = 0; p < alpha.length; p++) {
    const a = old[p]! / 255, b = alpha[p]! / 255;
    for (let c = 0; c < 3; c++) {
      const composite = output.data[p * 3 + c]!;
      const fg = a > 0.1 ? Math.min(255, Math.max(0, (composite - (1 - a) * 255) / a)) : input[p * 3 + c]!;
      rgb[p * 3 + c] = Math.round(b * fg + (1 - b) * 255);
    }
  }
  return withPixels(output, rgb, output.width, output.height, { alpha });
}
