import type { SynthRng } from './synth-rng';

/** A linear-ish RGB colour with channels in [0, 1]. */
export type Rgb = [number, number, number];

/**
 * Skin tones from very dark to very light, with warm, olive and pink undertones (sRGB, 0–1), sampled
 * between neighbours so that the whole range is covered, not a few fixed swatches.
 */
const SKIN: readonly Rgb[] = [
  [0.2, 0.12, 0.08],
  [0.3, 0.19, 0.12],
  [0.42, 0.27, 0.17],
  [0.55, 0.37, 0.25],
  [0.64, 0.46, 0.33],
  [0.72, 0.55, 0.4],
  [0.8, 0.62, 0.5],
  [0.87, 0.7, 0.58],
  [0.93, 0.79, 0.69],
];

const HAIR: readonly Rgb[] = [
  [0.04, 0.035, 0.03],
  [0.08, 0.06, 0.05],
  [0.17, 0.1, 0.06],
  [0.3, 0.19, 0.11],
  [0.45, 0.22, 0.1],
  [0.62, 0.46, 0.27],
  [0.78, 0.65, 0.43],
  [0.88, 0.83, 0.72],
  [0.5, 0.49, 0.47],
  [0.78, 0.77, 0.75],
];

/**
 * A random skin tone; `rng` picks a point along {@link SKIN} and a small undertone shift.
 *
 * @example
 * const skin = skinTone(rng);
 */
export function skinTone(rng: SynthRng): Rgb {
  const t = rng.next() * (SKIN.length - 1);
  const i = Math.min(SKIN.length - 2, Math.floor(t));
  const f = t - i;
  const base = SKIN[i].map((v, c) => v + (SKIN[i + 1][c] - v) * f) as Rgb;
  const redShift = rng.range(-0.03, 0.04);
  const yellowShift = rng.range(-0.03, 0.03);
  return clampRgb([base[0] + redShift, base[1] + yellowShift * 0.5, base[2] - yellowShift]);
}

/**
 * A random hair colour: natural shades most of the time, sometimes a dyed colour.
 *
 * @example
 * const hair = hairColour(rng);
 */
export function hairColour(rng: SynthRng): Rgb {
  if (rng.chance(0.07)) return hsl(rng.next(), rng.range(0.4, 0.8), rng.range(0.25, 0.55));
  const base = rng.chance(0.45) ? HAIR[rng.int(0, 2)] : rng.pick(HAIR);
  const k = rng.range(0.85, 1.15);
  return clampRgb([base[0] * k, base[1] * k, base[2] * k]);
}

/**
 * A random clothing colour: dark suits, white and pale shirts, greys, muted and bright colours.
 *
 * @example
 * const cloth = clothColour(rng);
 */
export function clothColour(rng: SynthRng): Rgb {
  const kind = rng.next();
  if (kind < 0.2) return hsl(rng.range(0.55, 0.7), rng.range(0.1, 0.5), rng.range(0.06, 0.22)); // navy/charcoal
  if (kind < 0.32) return grey(rng.range(0.02, 0.15)); // black
  if (kind < 0.46) return hsl(rng.next(), rng.range(0, 0.15), rng.range(0.82, 0.97)); // white, cream
  if (kind < 0.58) return grey(rng.range(0.3, 0.7));
  if (kind < 0.8) return hsl(rng.next(), rng.range(0.15, 0.45), rng.range(0.25, 0.6)); // muted
  return hsl(rng.next(), rng.range(0.5, 0.95), rng.range(0.3, 0.6)); // bright
}

/**
 * A random wall or backdrop colour: mostly pale and neutral, like real rooms and studios.
 *
 * @example
 * const wall = wallColour(rng);
 */
export function wallColour(rng: SynthRng): Rgb {
  const kind = rng.next();
  if (kind < 0.4) return hsl(rng.range(0.05, 0.16), rng.range(0.05, 0.35), rng.range(0.6, 0.92)); // beige, cream
  if (kind < 0.6) return grey(rng.range(0.45, 0.95));
  if (kind < 0.8) return hsl(rng.next(), rng.range(0.15, 0.5), rng.range(0.3, 0.75));
  return hsl(rng.next(), rng.range(0.3, 0.9), rng.range(0.1, 0.45)); // dark or saturated backdrop
}

/**
 * Converts hue, saturation, lightness (each 0–1) to RGB.
 *
 * @example
 * hsl(0, 1, 0.5); // [1, 0, 0]
 */
export function hsl(h: number, s: number, l: number): Rgb {
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number): number => {
    const u = t - Math.floor(t);
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)];
}

/**
 * A neutral grey of lightness `v`.
 *
 * @example
 * grey(0.5); // [0.5, 0.5, 0.5]
 */
export function grey(v: number): Rgb {
  return [v, v, v];
}

/**
 * Mixes two colours: `t = 0` gives `a`, `t = 1` gives `b`.
 *
 * @example
 * mix([0, 0, 0], [1, 1, 1], 0.25); // [0.25, 0.25, 0.25]
 */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/**
 * Multiplies a colour by `k`.
 *
 * @example
 * scale([0.5, 0.4, 0.2], 0.5); // [0.25, 0.2, 0.1]
 */
export function scale(a: Rgb, k: number): Rgb {
  return [a[0] * k, a[1] * k, a[2] * k];
}

/**
 * Clamps each channel to [0, 1].
 *
 * @example
 * clampRgb([1.2, -0.1, 0.5]); // [1, 0, 0.5]
 */
export function clampRgb(a: Rgb): Rgb {
  return [clamp01(a[0]), clamp01(a[1]), clamp01(a[2])];
}

/**
 * Clamps a number to [0, 1].
 *
 * @example
 * clamp01(1.5); // 1
 */
export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
