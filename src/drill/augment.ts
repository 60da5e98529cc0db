import type { ImagePair } from '../data/image-pair';
import { InvalidOptionError } from '../pipeline/errors';

export type { ImagePair };

/** Options of {@link augmentPair}. */
export interface AugmentOptions {
  /** Side of the square patch cut out of the pair. */
  readonly cropSize: number;
  /**
   * Range of the zoom applied before cutting: 1 takes the patch at the frame's own scale, 1.25 zooms
   * in by a quarter, 0.8 zooms out. Default [0.85, 1.2]: subjects in interview footage change size by
   * about that much when they lean in and out.
   */
  readonly scaleRange?: readonly [number, number];
  /** Mirror left-right with probability 0.5. Default true: a mirrored person is still a person. */
  readonly flip?: boolean;
}

/** One patch pair cut from an {@link ImagePair}, with its guide planes cut the same way. */
export interface Patch {
  readonly input: Uint8Array;
  readonly target: Uint8Array;
  readonly guides?: readonly Uint8Array[];
  readonly weights?: Uint8Array;
  readonly matte?: Uint8Array;
}

/**
 * Cuts the same randomly zoomed, placed and mirrored square patch out of an input, its guide planes and
 * its target, with bilinear resampling. Zooming out past the frame's edge replicates the border pixels.
 * The guides draw nothing from `random`, so a pair augments the same with or without them.
 *
 * @example
 * const patch = augmentPair(pair, { cropSize: 256 }, Math.random);
 */
export function augmentPair(pair: ImagePair, options: AugmentOptions, random: () => number): Patch {
  const [minScale, maxScale] = options.scaleRange ?? [0.85, 1.2];
  const size = options.cropSize;
  const scale = minScale + (maxScale - minScale) * random();
  // The patch covers `span` source pixels; place it uniformly where it fits, centred where it does not.
  const span = size / scale;
  const x0 = place(pair.width, span, random());
  const y0 = place(pair.height, span, random());
  const mirror = (options.flip ?? true) && random() < 0.5;
  const step = span / size;
  const xs = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const column = mirror ? size - 1 - i : i;
    xs[column] = x0 + (i + 0.5) * step - 0.5;
  }
  const patch = {
    input: resample(pair.input, pair.width, pair.height, xs, y0, step, size, 3),
    target: resample(pair.target, pair.width, pair.height, xs, y0, step, size, 3),
  };
  const plane = (data: Uint8Array) => resample(data, pair.width, pair.height, xs, y0, step, size, 1);
  return {
    ...patch,
    ...(pair.guides !== undefined ? { guides: pair.guides.map(plane) } : {}),
    ...(pair.weights !== undefined ? { weights: plane(pair.weights) } : {}),
    ...(pair.matte !== undefined ? { matte: plane(pair.matte) } : {}),
  };
}

function place(length: number, span: number, u: number): number {
  return span <= length ? u * (length - span) : (length - span) / 2;
}

function resample(
  src: Uint8Array,
  width: number,
  height: number,
  xs: Float32Array,
  y0: number,
  step: number,
  size: number,
  channels: 1 | 3,
): Uint8Array {
  const out = new Uint8Array(size * size * channels);
  for (let j = 0; j < size; j++) {
    const y = clamp(y0 + (j + 0.5) * step - 0.5, 0, height - 1);
    const ya = Math.floor(y);
    const yb = Math.min(ya + 1, height - 1);
    const fy = y - ya;
    for (let i = 0; i < size; i++) {
      const x = clamp(xs[i]!, 0, width - 1);
      const xa = Math.floor(x);
      const xb = Math.min(xa + 1, width - 1);
      const fx = x - xa;
      const a = (ya * width + xa) * channels;
      const b = (ya * width + xb) * channels;
      const c = (yb * width + xa) * channels;
      const d = (yb * width + xb) * channels;
      const o = (j * size + i) * channels;
      for (let k = 0; k < channels; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * fx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * fx;
        out[o + k] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Packs `count` augmented patches into one batch, each from a pair drawn uniformly at random. When the
 * pairs carry guides, `guides` packs their patches count x guides x cropSize x cropSize, as
 * `Pix2Pix.trainStep` takes them.
 *
 * @example
 * const batch = sampleBatch(pairs, 4, { cropSize: 256 }, random);
 * @throws {InvalidOptionError} pairs that carry different numbers of guide planes.
 */
export function sampleBatch(
  pairs: readonly ImagePair[],
  count: number,
  options: AugmentOptions,
  random: () => number,
): { inputs: Uint8Array; guides?: Uint8Array; targets: Uint8Array; weights?: Uint8Array; mattes?: Uint8Array; count: number; height: number; width: number } {
  const size = options.cropSize;
  const bytes = size * size * 3;
  const planes = guideCount(pairs);
  const inputs = new Uint8Array(count * bytes);
  const targets = new Uint8Array(count * bytes);
  const guides = planes > 0 ? new Uint8Array(count * planes * size * size) : undefined;
  // Weights only when some pair has them; the others then have full say (255).
  const weights = pairs.some((p) => p.weights !== undefined) ? new Uint8Array(count * size * size).fill(255) : undefined;
  // Mattes only when some pair has one; the others then mark nothing (0): their non-white region alone.
  const mattes = pairs.some((p) => p.matte !== undefined) ? new Uint8Array(count * size * size) : undefined;
  for (let n = 0; n < count; n++) {
    const pair = pairs[Math.floor(random() * pairs.length)]!;
    const patch = augmentPair(pair, options, random);
    inputs.set(patch.input, n * bytes);
    targets.set(patch.target, n * bytes);
    patch.guides?.forEach((plane, g) => guides!.set(plane, (n * planes + g) * size * size));
    if (patch.weights !== undefined) weights!.set(patch.weights, n * size * size);
    if (patch.matte !== undefined) mattes!.set(patch.matte, n * size * size);
  }
  const batch = { inputs, targets, count, height: size, width: size };
  return { ...batch, ...(guides ? { guides } : {}), ...(weights ? { weights } : {}), ...(mattes ? { mattes } : {}) };
}

/**
 * The number of guide planes every pair carries (0 without guides).
 *
 * @example guideCount([{ input, target, width, height, guides: [prior] }]) // 1
 * @throws {InvalidOptionError} when pairs carry different numbers.
 */
export function guideCount(pairs: readonly ImagePair[]): number {
  const counts = [...new Set(pairs.map((p) => p.guides?.length ?? 0))].sort((a, b) => a - b);
  if (counts.length > 1) {
    throw new InvalidOptionError(`Expected every training pair to carry the same number of guide planes but received ${counts.join(' and ')}`);
  }
  for (const [i, pair] of pairs.entries()) {
    const bad = pair.guides?.findIndex((plane) => plane.length !== pair.width * pair.height) ?? -1;
    if (bad >= 0) {
      throw new InvalidOptionError(
        `Expected ${pair.width * pair.height} bytes (${pair.width}x${pair.height}) for guide plane ${bad} of training pair ${i} but received ${pair.guides![bad]!.length}`,
      );
    }
  }
  return counts[0] ?? 0;
}
