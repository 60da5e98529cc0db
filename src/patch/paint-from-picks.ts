import { concatMap, defer, tap, type OperatorFunction } from 'rxjs';
import { BadInputError } from '../pipeline/errors';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectInteger, expectNumber, expectOptionalBoolean } from '../pipeline/validate';
import { applyCover, paintCover, type PaintCover, type PaintCoverOptions } from './paint-cover';
import type { PickPaint } from './pick-paint';
import { greyPlane } from '../flow/grey-plane';
import { intrusionPixels } from './drop-intrusion';

/** Options of {@link paintFromPicks}. */
export interface PaintFromPicksOptions extends PaintCoverOptions {
  /** Frames further than this (in frames) from every painting pick are left as `inner` made them. Default 60 (6 s at 10 fps). */
  readonly maxDistance?: number;
  /**
   * Carry each frame's cover on to the next frame (index + 1) when both are painted from the same
   * pick ({@link paintCover}'s `previous`): the covers are then computed one after the other. Default true.
   */
  readonly carryCover?: boolean;
  /**
   * Erase, in the frames within reach of a painting pick, the kept regions apart from the subject that
   * are the intrusion coming in or leaving by the frame's edge ({@link intrusionPixels}). Default true.
   */
  readonly dropIntrusion?: boolean;
  /**
   * In the frames within reach of a painting pick, give the subject's firm pixels (alpha 250 or more)
   * that are not covered the input's own colours: an edit that paints copied the rest of its subject as
   * it was ({@link pickPaint} reads no paint otherwise), and a generator trained on two such pairs smears
   * colour where it once saw fingers. Only for outputs with an alpha (the composite head). Default true;
   * `processVideo` turns it off when any edit changed the colours of what it kept ({@link copiesKept}).
   */
  readonly inputOnSubject?: boolean;
  /** Called for each frame painted, with how many of its pixels were. */
  readonly onPainted?: (index: number, pixels: number) => void;
}

/**
 * Carries what the edited frames painted over (another person's fingers covered with the speaker's
 * clothing; {@link pickPaint} reads it from each pick) to the frames around them, over what `inner`
 * (the generator) made of them: each frame takes the paint of its nearest painting pick
 * ({@link paintCover}: one optical flow to the pick and, carrying the previous frame's cover, one
 * between the frames, computed on the INPUT frame while `inner` runs, then
 * {@link applyCover}, which also gives back the subject the generator erased around the intrusion;
 * across a cut from it, the next nearest). A generator trained on two or three pairs keeps most of an intrusion it saw
 * twice (docs/QUALITY.md, patching); the picks show exactly what belongs there. With no painting
 * pick it is `inner` itself. Each frame's cover also carries on the previous frame's (`carryCover`).
 * In every frame within reach of a painting pick, the intrusion seen apart from the subject, coming in
 * or leaving by the frame's edge, is erased ({@link intrusionPixels}, `dropIntrusion`), and the firm
 * subject outside the cover takes the input's colours (`inputOnSubject`).
 * State is the covers, inputs and nearest picks of the frames inside `inner`, so memory stays flat.
 *
 * Emits {@link BadInputError} for a frame of another size than the picks, {@link EngineError} when the flow fails.
 *
 * @example
 * decoded.pipe(kit.stage(), paintFromPicks(generate(model), paints), encodeVideo(out, { budget }));
 * @throws {InvalidOptionError} for an option out of its range.
 */
export function paintFromPicks(inner: OperatorFunction<Frame, Frame>, paints: readonly PickPaint[], options: PaintFromPicksOptions = {}): OperatorFunction<Frame, Frame> {
  const maxDistance = expectInteger('paintFromPicks.maxDistance', options.maxDistance ?? 60, 0, Number.MAX_SAFE_INTEGER);
  const dropIntrusion = expectOptionalBoolean('paintFromPicks.dropIntrusion', options.dropIntrusion, true);
  const inputOnSubject = expectOptionalBoolean('paintFromPicks.inputOnSubject', options.inputOnSubject, true);
  checkPaintOptions(options);
  if (paints.length === 0) return inner;
  // The painting picks within reach, nearest first: a frame across a cut from the nearest tries the next.
  const candidates = (index: number) =>
    paints.filter((p) => Math.abs(p.index - index) <= maxDistance).sort((a, b) => Math.abs(a.index - index) - Math.abs(b.index - index));
  type Found = { cover: PaintCover; paint: PickPaint; input: Uint8Array; index: number };
  const coverOf = async (frame: Frame, near: PickPaint[], previous?: Found) => {
    const carried = previous !== undefined && previous.index === frame.index - 1 ? { grey: greyPlane(previous.input, frame.width, frame.height), mask: previous.cover.mask } : undefined;
    for (const paint of near) {
      const cover = await paintCover(frame.data, paint, options, paint === previous?.paint ? carried : undefined);
      if (cover !== undefined) return { cover, paint, input: frame.data, index: frame.index };
    }
    return undefined;
  };
  return (source) =>
    defer(() => {
      const covers = new Map<number, Promise<Found | undefined>>();
      // Each frame near a painting pick, its input and the nearest painting pick.
      const nearby = new Map<number, { input: Uint8Array; paint: PickPaint }>();
      let last: Promise<Found | undefined> = Promise.resolve(undefined);
      return source.pipe(
        tap((frame) => {
          const near = candidates(frame.index);
          if (near.length === 0) return;
          if (frame.width !== near[0]!.width || frame.height !== near[0]!.height) {
            throw new BadInputError(`paintFromPicks: frame ${frame.index} is ${frame.width}x${frame.height} but the picks are ${near[0]!.width}x${near[0]!.height}.`);
          }
          nearby.set(frame.index, { input: frame.data, paint: near[0]! });
          // Each cover waits for the previous frame's, which it carries on (`carryCover`).
          const pending = options.carryCover === false ? coverOf(frame, near) : last.catch(() => undefined).then((previous) => coverOf(frame, near, previous));
          pending.catch(() => undefined);
          last = pending;
          covers.set(frame.index, pending);
        }),
        inner,
        concatMap(async (output) => {
          const pending = covers.get(output.index);
          // Covers of frames the inner stage did not emit are let go with this one's.
          for (const index of covers.keys()) if (index <= output.index) covers.delete(index);
          const at = nearby.get(output.index);
          for (const index of nearby.keys()) if (index <= output.index) nearby.delete(index);
          const found = await pending;
          let rgb = output.data, alpha = output.alpha;
          if (found !== undefined) {
            options.onPainted?.(output.index, found.cover.pixels);
            ({ rgb, alpha } = applyCover(rgb, alpha, found.cover, found.paint, found.input));
          }
          // The intrusion as the pick that painted the frame saw it, else as the nearest did.
          const from = found?.paint ?? at?.paint;
          const dropped = dropIntrusion && at !== undefined && from !== undefined && alpha !== undefined ? erase(rgb, alpha, intrusionPixels(at.input, alpha, from, output.width, output.height)) : undefined;
          if (dropped !== undefined) ({ rgb, alpha } = dropped);
          let copied = false;
          if (inputOnSubject && at !== undefined && alpha !== undefined) {
            rgb = withInputOnSubject(rgb === output.data ? Uint8Array.from(rgb) : rgb, alpha, at.input, found?.cover.mask);
            copied = true;
          }
          return found === undefined && dropped === undefined && !copied ? output : withPixels(output, rgb, output.width, output.height, alpha ? { alpha } : {});
        }),
      );
    });
}

/** Alpha from which a pixel is firmly the subject, whose colours {@link withInputOnSubject} takes from the input. */
const FIRM_SUBJECT = 250;

/** `rgb` (changed in place and returned) with the input's colours on the firm subject (alpha ≥ {@link FIRM_SUBJECT}) outside `covered`. */
function withInputOnSubject(rgb: Uint8Array, alpha: Uint8Array, input: Uint8Array, covered: Uint8Array | undefined): Uint8Array {
  for (let q = 0; q < alpha.length; q++) {
    if (alpha[q]! < FIRM_SUBJECT || covered?.[q]) continue;
    rgb[q * 3] = input[q * 3]!;
    rgb[q * 3 + 1] = input[q * 3 + 1]!;
    rgb[q * 3 + 2] = input[q * 3 + 2]!;
  }
  return rgb;
}

/** `rgb` over white and its `alpha` with the `pixels` made white and transparent: new buffers; undefined when there are none. */
function erase(rgb: Uint8Array, alpha: Uint8Array, pixels: Uint8Array | undefined): { rgb: Uint8Array; alpha: Uint8Array } | undefined {
  if (pixels === undefined) return undefined;
  const outRgb = Uint8Array.from(rgb), outAlpha = Uint8Array.from(alpha);
  for (let p = 0; p < pixels.length; p++) {
    if (!pixels[p]) continue;
    outAlpha[p] = 0;
    outRgb[p * 3] = outRgb[p * 3 + 1] = outRgb[p * 3 + 2] = 255;
  }
  return { rgb: outRgb, alpha: outAlpha };
}

/** Throws for a painting option out of its range. */
function checkPaintOptions(options: PaintFromPicksOptions): void {
  const whole = { reach: [0, 256], subjectReach: [0, 256], margin: [0, 16], motionTile: [4, 4096], tracked: [0, 255], like: [0, 255], difference: [0, 255] } as const;
  for (const [name, [min, max]] of Object.entries(whole)) {
    const value = options[name as keyof typeof whole];
    if (value !== undefined) expectInteger(`paintFromPicks.${name}`, value, min, max);
  }
  if (options.componentShare !== undefined) expectNumber('paintFromPicks.componentShare', options.componentShare, 0, 1);
}
