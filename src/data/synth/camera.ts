import { softenLight } from './blur';
import { clamp01 } from './palette';
import type { SynthRng } from './synth-rng';

/** How a camera and its settings render a scene; drawn by {@link randomCamera}. */
export interface CameraLook {
  /** Exposure gain. */
  gain: number;
  /** Contrast around mid-grey (1 = unchanged). */
  contrast: number;
  /** Black lift of a hazy, low-contrast picture (0–1). */
  lift: number;
  /** Gamma applied after contrast. */
  gamma: number;
  /** Saturation (0 = grey-scale). */
  saturation: number;
  /** White-balance gains per channel. */
  balance: [number, number, number];
  /** Darkening of the corners (0 = none). */
  vignette: number;
  /** Standard deviation of the sensor noise (0–1 scale). */
  noise: number;
  /** Softening of the whole picture, matte included (0 = none, 1 = a 3x3 blur). */
  soften: number;
  /** A grey-scale picture (a hard case). */
  greyscale: boolean;
  /** A low-contrast picture (a hard case). */
  lowContrast: boolean;
}

/** Options of {@link randomCamera}. */
export interface RandomCameraOptions {
  /** Allow grey-scale and low-contrast pictures. Default true. */
  hardCases?: boolean;
}

/**
 * Draws a camera look: exposure, contrast, white balance, saturation, vignette, noise and softness,
 * and now and then a grey-scale or a low-contrast picture (each about one in eight).
 *
 * @example
 * const look = randomCamera(rng);
 */
export function randomCamera(rng: SynthRng, options: RandomCameraOptions = {}): CameraLook {
  const hard = options.hardCases ?? true;
  const greyscale = hard && rng.chance(0.13);
  const lowContrast = hard && rng.chance(0.13);
  const cast = rng.range(0, 0.09);
  const castHue = rng.range(0, Math.PI * 2);
  return {
    gain: rng.range(0.8, 1.2),
    contrast: lowContrast ? rng.range(0.3, 0.55) : rng.range(0.85, 1.2),
    lift: lowContrast ? rng.range(0.05, 0.25) : rng.range(0, 0.04),
    gamma: rng.range(0.85, 1.15),
    saturation: greyscale ? 0 : rng.range(0.6, 1.3),
    balance: [1 + cast * Math.cos(castHue), 1 + cast * Math.cos(castHue + 2.1), 1 + cast * Math.cos(castHue + 4.2)],
    vignette: rng.chance(0.5) ? rng.range(0.05, 0.4) : 0,
    noise: rng.chance(0.7) ? rng.range(0.003, 0.025) : 0,
    soften: rng.chance(0.5) ? rng.range(0.3, 1) : 0,
    greyscale,
    lowContrast,
  };
}

/**
 * Renders `photo` (packed float RGB) through a camera look, in place, and softens `alpha` exactly as
 * the picture when the look softens, so the matte stays true to the picture. Noise comes from
 * `noiseRng`, so a clip can keep one look and draw fresh noise per frame.
 *
 * @example
 * applyCamera(photo, alpha, 400, 400, look, rng);
 */
export function applyCamera(
  photo: Float32Array,
  alpha: Float32Array,
  width: number,
  height: number,
  look: CameraLook,
  noiseRng: SynthRng,
): { photo: Float32Array; alpha: Float32Array } {
  const n = width * height;
  const cx = width / 2;
  const cy = height / 2;
  const curve = toneCurve(look);
  const scaleIndex = (CURVE_SIZE - 1) / CURVE_MAX;
  const last = CURVE_SIZE - 1;
  const vignette = look.vignette / (cx * cx + cy * cy);
  const sat = look.saturation;
  const gr = look.gain * look.balance[0];
  const gg = look.gain * look.balance[1];
  const gb = look.gain * look.balance[2];
  for (let y = 0; y < height; y++) {
    const dy2 = (y - cy) * (y - cy);
    for (let x = 0; x < width; x++) {
      const j = (y * width + x) * 3;
      const v = 1 - vignette * ((x - cx) * (x - cx) + dy2);
      let r = photo[j] * gr * v;
      let g = photo[j + 1] * gg * v;
      let b = photo[j + 2] * gb * v;
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      r = luma + (r - luma) * sat;
      g = luma + (g - luma) * sat;
      b = luma + (b - luma) * sat;
      // Tone curve by table: index = round(value / CURVE_MAX * (CURVE_SIZE - 1)), clamped.
      const ir = (r * scaleIndex + 0.5) | 0;
      const ig = (g * scaleIndex + 0.5) | 0;
      const ib = (b * scaleIndex + 0.5) | 0;
      photo[j] = curve[ir < 0 ? 0 : ir > last ? last : ir];
      photo[j + 1] = curve[ig < 0 ? 0 : ig > last ? last : ig];
      photo[j + 2] = curve[ib < 0 ? 0 : ib > last ? last : ib];
    }
  }
  let out = photo;
  let matte = alpha;
  if (look.soften > 0) {
    out = softenLight(photo, width, height, 3, look.soften);
    matte = softenLight(alpha, width, height, 1, look.soften);
  }
  if (look.noise > 0) {
    const sigma = look.noise;
    // xorshift32 seeded from the given source: millions of draws per picture, so keep them cheap.
    let state = (Math.floor(noiseRng.next() * 4294967295) | 1) >>> 0;
    const unit = 1 / 4294967296;
    for (let i = 0; i < n; i++) {
      // Near-Gaussian noise from a sum of four uniforms; mostly luma, a little chroma.
      let sum = 0;
      for (let k = 0; k < 4; k++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        sum += (state >>> 0) * unit;
      }
      const l = (sum - 2) * 1.7 * sigma;
      const chroma = look.saturation === 0 ? 0 : (((state >>> 8) & 255) / 255 - 0.5) * sigma;
      const j = i * 3;
      out[j] = clamp01(out[j] + l + chroma);
      out[j + 1] = clamp01(out[j + 1] + l);
      out[j + 2] = clamp01(out[j + 2] + l - chroma);
    }
  }
  return { photo: out, alpha: matte };
}

const CURVE_SIZE = 4096;
const CURVE_MAX = 2;

/** The tone curve (contrast, lift, gamma) tabulated over inputs 0–2. */
function toneCurve(look: CameraLook): Float32Array {
  const curve = new Float32Array(CURVE_SIZE);
  const invGamma = 1 / look.gamma;
  for (let k = 0; k < CURVE_SIZE; k++) {
    const v = (k / (CURVE_SIZE - 1)) * CURVE_MAX;
    let t = (v - 0.5) * look.contrast + 0.5;
    t = look.lift + (1 - look.lift) * t;
    curve[k] = t <= 0 ? 0 : t >= 1 ? 1 : Math.pow(t, invGamma);
  }
  return curve;
}
