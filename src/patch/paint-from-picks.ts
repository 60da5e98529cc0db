import { concatMap, defer, tap, type OperatorFunction } from 'rxjs';
import { BadInputError } from '../pipeline/errors';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger } from '../pipeline/validate';
import { applyCover, paintCover, type PaintCover, type PaintFrameOptions } from './paint-frame';
import type { PickPaint } from './pick-paint';

/** Options of {@link paintFromPicks}. */
export interface PaintFromPicksOptions extends PaintFrameOptions {
  /** Frames further than this (in frames) from every painting pick are left as `inner` made them. Default 60 (6 s at 10 fps). */
  readonly maxDistance?: number;
}

/**
 * Carries what the edited frames painted over (another person's fingers covered with the speaker's
 * clothing; {@link pickPaint} reads it from each pick) to the frames around them, over what `inner`
 * (the generator) made of them: each frame takes the paint of its nearest painting pick
 * ({@link paintCover}: one optical flow, computed on the INPUT frame while `inner` runs, then
 * {@link applyCover}). A generator trained on two or three pairs keeps most of an intrusion it saw
 * twice (docs/QUALITY.md, patching); the picks show exactly what belongs there. With no painting
 * pick it is `inner` itself. State is the covers of the frames inside `inner`, so memory stays flat.
 *
 * @example
 * decoded.pipe(kit.stage(), paintFromPicks(generate(model), paints), encodeVideo(out, { budget }));
 * @throws {InvalidOptionError} for a bad `maxDistance`.
 * Emits {@link BadInputError} for a frame of another size than the picks, {@link EngineError} when the flow fails.
 */
export function paintFromPicks(inner: OperatorFunction<Frame, Frame>, paints: readonly PickPaint[], options: PaintFromPicksOptions = {}): OperatorFunction<Frame, Frame> {
  const maxDistance = expectInteger('paintFromPicks.maxDistance', options.maxDistance ?? 60, 0, Number.MAX_SAFE_INTEGER);
  if (paints.length === 0) return inner;
  const nearest = (index: number) => {
    let best: PickPaint | undefined;
    for (const paint of paints) if (Math.abs(paint.index - index) <= maxDistance && (!best || Math.abs(paint.index - index) < Math.abs(best.index - index))) best = paint;
    return best;
  };
  return (source) =>
    defer(() => {
      const covers = new Map<number, Promise<{ cover: PaintCover; paint: PickPaint } | undefined>>();
      return source.pipe(
        tap((frame) => {
          const paint = nearest(frame.index);
          if (paint === undefined) return;
          if (frame.width !== paint.width || frame.height !== paint.height) {
            throw new BadInputError(`paintFromPicks: frame ${frame.index} is ${frame.width}x${frame.height} but the picks are ${paint.width}x${paint.height}.`);
          }
          const pending = paintCover(frame.data, paint, options).then((cover) => cover && { cover, paint });
          pending.catch(() => undefined);
          covers.set(frame.index, pending);
        }),
        inner,
        concatMap(async (output) => {
          const pending = covers.get(output.index);
          covers.delete(output.index);
          const found = await pending;
          if (found === undefined) return output;
          const { rgb, alpha } = applyCover(output.data, output.alpha, found.cover, found.paint);
          return withPixels(output, rgb, output.width, output.height, alpha ? { alpha } : {});
        }),
      );
    });
}
