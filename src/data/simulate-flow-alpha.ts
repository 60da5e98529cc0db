import type { SynthRng } from './synth/synth-rng';

/** The plane a flow-alpha guide holds where nothing is known (no edits to carry). */
const UNKNOWN = 128;

/**
 * What the `flow-alpha` guide would hold for a frame whose true matte is `mask`, for training pairs
 * that have no video around them (the base model's pretraining): the matte with the errors that
 * optical-flow propagation of edits makes, so a model learns to correct them rather than copy them.
 *
 * Drawn from `rng`, in this order: the matte displaced (a shift of up to 14 px and a smooth local
 * warp of up to 8 px, as flow lags behind motion), eroded or dilated by up to 4 px, softened (blending
 * carried alphas by distance leaves soft edges), holes cut where the person moved away from the
 * edited pose (35%), remnants left on the background (35%: background that moved with the person), and
 * sometimes pulled toward 128, less sure (20%). About one plane in twelve is 128 everywhere: no edits
 * near, nothing known.
 *
 * @example
 * const guide = simulateFlowAlpha(pair.mask, 400, 400, createSynthRng(7));
 */
export function simulateFlowAlpha(mask: Uint8Array, width: number, height: number, rng: SynthRng): Uint8Array {
  if (rng.chance(1 / 12)) return new Uint8Array(width * height).fill(UNKNOWN);
  let plane = displace(mask, width, height, rng);
  const radius = rng.int(-4, 4);
  if (radius !== 0) plane = morph(plane, width, height, Math.abs(radius), radius > 0 ? Math.max : Math.min);
  const soft = rng.int(0, 4);
  if (soft > 0) plane = boxBlur(boxBlur(plane, width, height, soft), width, height, soft);
  if (rng.chance(0.35)) stampEllipses(plane, width, height, rng, 0);
  if (rng.chance(0.35)) stampEllipses(plane, width, height, rng, rng.range(0.5, 1));
  if (rng.chance(0.2)) {
    const keep = rng.range(0.3, 0.8);
    for (let i = 0; i < plane.length; i++) plane[i] = Math.round(UNKNOWN + (plane[i]! - UNKNOWN) * keep);
  }
  return plane;
}

/** The plane sampled (bilinear, borders replicated) at x − d(x): a global shift plus a smooth warp. */
function displace(mask: Uint8Array, width: number, height: number, rng: SynthRng): Uint8Array {
  const shift = rng.range(0, 14), angle = rng.range(0, 2 * Math.PI);
  const sx = shift * Math.cos(angle), sy = shift * Math.sin(angle);
  const amplitude = rng.range(0, 8);
  const grid = 5;
  const field = Array.from({ length: grid * grid * 2 }, () => rng.range(-1, 1) * amplitude);
  const at = (gx: number, gy: number, c: number) => field[(Math.min(grid - 1, gy) * grid + Math.min(grid - 1, gx)) * 2 + c]!;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = (y / height) * (grid - 1), gy = Math.floor(fy), ty = fy - gy;
    for (let x = 0; x < width; x++) {
      const fx = (x / width) * (grid - 1), gx = Math.floor(fx), tx = fx - gx;
      const local = (c: number) =>
        (1 - ty) * ((1 - tx) * at(gx, gy, c) + tx * at(gx + 1, gy, c)) + ty * ((1 - tx) * at(gx, gy + 1, c) + tx * at(gx + 1, gy + 1, c));
      out[y * width + x] = sample(mask, width, height, x - sx - local(0), y - sy - local(1));
    }
  }
  return out;
}

function sample(plane: Uint8Array, width: number, height: number, x: number, y: number): number {
  const cx = Math.min(width - 1, Math.max(0, x)), cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.floor(cx), y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1), y1 = Math.min(height - 1, y0 + 1);
  const tx = cx - x0, ty = cy - y0;
  const top = (1 - tx) * plane[y0 * width + x0]! + tx * plane[y0 * width + x1]!;
  const bottom = (1 - tx) * plane[y1 * width + x0]! + tx * plane[y1 * width + x1]!;
  return Math.round((1 - ty) * top + ty * bottom);
}

/** Separable square min (erode) or max (dilate) filter of the given radius. */
function morph(plane: Uint8Array, width: number, height: number, radius: number, pick: (...values: number[]) => number): Uint8Array {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = src[y * width + x]!;
        for (let k = 1; k <= radius; k++) {
          const a = horizontal ? src[y * width + Math.max(0, x - k)]! : src[Math.max(0, y - k) * width + x]!;
          const b = horizontal ? src[y * width + Math.min(width - 1, x + k)]! : src[Math.min(height - 1, y + k) * width + x]!;
          v = pick(v, a, b);
        }
        out[y * width + x] = v;
      }
    }
    return out;
  };
  return pass(pass(plane, true), false);
}

/** Separable box blur of the given radius, borders replicated. */
function boxBlur(plane: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    const length = horizontal ? width : height, lines = horizontal ? height : width;
    const index = (line: number, i: number) => (horizontal ? line * width + i : i * width + line);
    for (let line = 0; line < lines; line++) {
      for (let i = 0; i < length; i++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) sum += src[index(line, Math.min(length - 1, Math.max(0, i + k)))]!;
        out[index(line, i)] = Math.round(sum / (2 * radius + 1));
      }
    }
    return out;
  };
  return pass(pass(plane, true), false);
}

/** One to three soft ellipses of `value` (0..1): holes (0) anywhere, remnants (> 0) kept where higher. */
function stampEllipses(plane: Uint8Array, width: number, height: number, rng: SynthRng, value: number): void {
  const count = rng.int(1, 3);
  for (let e = 0; e < count; e++) {
    const cx = rng.range(0, width), cy = rng.range(0, height);
    const rx = rng.range(0.03, 0.15) * width, ry = rng.range(0.03, 0.15) * height;
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, Math.ceil(cx + rx)); x++) {
        const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        if (d >= 1) continue;
        const weight = Math.min(1, (1 - d) * 4);
        const i = y * width + x;
        const target = value * 255;
        plane[i] = value === 0 ? Math.round(plane[i]! * (1 - weight)) : Math.max(plane[i]!, Math.round(target * weight));
      }
    }
  }
}
