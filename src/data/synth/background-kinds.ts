import { blur } from './blur';
import { createLayer, paintShape, type Layer } from './layer';
import { clamp01, clothColour, grey, hsl, mix, scale, wallColour, type Rgb } from './palette';
import type { SynthRng } from './synth-rng';
import { noiseField, ValueNoise } from './value-noise';

/**
 * Plain backgrounds: a painted wall lit from one side, a studio gradient, a noise texture, bokeh lights
 * and a draped cloth or flag. Each paints an opaque layer (alpha 1) and returns its dominant colour.
 * `unit` is the picture's smaller side / 400, so textures keep their look at any size.
 */

/**
 * Creates an opaque layer filled with `colour`.
 *
 * @example
 * const layer = solidLayer(400, 400, [0.5, 0.5, 0.5]);
 */
export function solidLayer(width: number, height: number, colour: Rgb): Layer {
  const layer = createLayer(width, height);
  for (let i = 0; i < width * height; i++) {
    layer.rgb[i * 3] = colour[0];
    layer.rgb[i * 3 + 1] = colour[1];
    layer.rgb[i * 3 + 2] = colour[2];
  }
  layer.alpha.fill(1);
  return layer;
}

/**
 * A wall: one colour, lit unevenly from a point off the picture, with a faint plaster texture.
 *
 * @example
 * const colour = paintWall(layer, rng);
 */
export function paintWall(layer: Layer, rng: SynthRng, unit: number): Rgb {
  const base = wallColour(rng);
  const noise = new ValueNoise(rng);
  const { width, height, rgb } = layer;
  const lx = rng.range(-0.5, 1.5) * width;
  const ly = rng.range(-0.8, 0.6) * height;
  const falloff = rng.range(0.1, 0.6) / (width * width + height * height);
  const grain = rng.range(0.01, 0.06);
  const cell = 70 * unit * rng.range(0.5, 2);
  const plaster = noiseField(noise, width, height, cell, 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d2 = (x - lx) * (x - lx) + (y - ly) * (y - ly);
      const k = (1.12 - falloff * d2) * (1 - grain + 2 * grain * plaster[y * width + x]);
      const j = (y * width + x) * 3;
      rgb[j] = base[0] * k;
      rgb[j + 1] = base[1] * k;
      rgb[j + 2] = base[2] * k;
    }
  }
  return base;
}

/**
 * A studio backdrop: a linear or radial gradient between two colours.
 *
 * @example
 * paintGradient(layer, rng);
 */
export function paintGradient(layer: Layer, rng: SynthRng): Rgb {
  const a = wallColour(rng);
  const b = rng.chance(0.5) ? scale(a, rng.range(0.3, 0.8)) : wallColour(rng);
  const { width, height, rgb } = layer;
  const radial = rng.chance(0.5);
  const angle = rng.range(0, Math.PI * 2);
  const ca = Math.cos(angle) / width;
  const sa = Math.sin(angle) / height;
  const cx = rng.range(0.2, 0.8) * width;
  const cy = rng.range(0.1, 0.7) * height;
  const reach = rng.range(0.5, 1.2) * Math.max(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = radial
        ? Math.min(1, Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) / reach)
        : clamp01(0.5 + (x - width / 2) * ca + (y - height / 2) * sa);
      const s = t * t * (3 - 2 * t);
      const j = (y * width + x) * 3;
      rgb[j] = a[0] + (b[0] - a[0]) * s;
      rgb[j + 1] = a[1] + (b[1] - a[1]) * s;
      rgb[j + 2] = a[2] + (b[2] - a[2]) * s;
    }
  }
  return mix(a, b, 0.5);
}

/**
 * A fractal noise texture mapped onto a ramp of two or three colours (concrete, foliage, marble,
 * fabric), at a random scale.
 *
 * @example
 * paintNoiseTexture(layer, rng, 1);
 */
export function paintNoiseTexture(layer: Layer, rng: SynthRng, unit: number): Rgb {
  const noise = new ValueNoise(rng);
  const c0 = wallColour(rng);
  const c1 = rng.chance(0.5) ? scale(c0, rng.range(0.4, 0.8)) : clothColour(rng);
  const c2 = rng.chance(0.5) ? mix(c0, grey(1), 0.5) : wallColour(rng);
  const cell = unit * rng.range(8, 160);
  const octaves = rng.int(2, 5);
  const marble = rng.chance(0.25);
  const stretch = rng.chance(0.3) ? rng.range(0.15, 0.5) : 1;
  const contrast = rng.range(1, 3);
  const { width, height, rgb } = layer;
  const field = noiseField(noise, width, height, cell, octaves, stretch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let t = field[y * width + x];
      if (marble) t = 0.5 + 0.5 * Math.sin((x / cell) * 0.7 + t * 9);
      t = clamp01(0.5 + (t - 0.5) * contrast);
      const j = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        rgb[j + c] = t < 0.5 ? c1[c] + (c0[c] - c1[c]) * t * 2 : c0[c] + (c2[c] - c0[c]) * (t - 0.5) * 2;
      }
    }
  }
  return c0;
}

/**
 * Out-of-focus lights: a dark-to-mid gradient with soft discs of light, then a strong blur.
 *
 * @example
 * const blurred = paintBokeh(layer, rng, 1);
 */
export function paintBokeh(layer: Layer, rng: SynthRng, unit: number): Rgb {
  const base = paintGradient(layer, rng);
  const dim = scale(base, rng.range(0.3, 0.9));
  for (let i = 0; i < layer.rgb.length; i += 3) {
    layer.rgb[i] *= dim[0] / Math.max(0.05, base[0]);
    layer.rgb[i + 1] *= dim[1] / Math.max(0.05, base[1]);
    layer.rgb[i + 2] *= dim[2] / Math.max(0.05, base[2]);
  }
  const warm = rng.chance(0.6);
  const count = rng.int(12, 60);
  for (let k = 0; k < count; k++) {
    const cx = rng.range(0, layer.width);
    const cy = rng.range(0, layer.height);
    const radius = unit * rng.range(4, 40);
    const colour = warm
      ? hsl(rng.range(0.05, 0.15), rng.range(0.4, 1), rng.range(0.55, 0.9))
      : hsl(rng.next(), rng.range(0.3, 1), rng.range(0.5, 0.9));
    const opacity = rng.range(0.2, 0.8);
    paintShape(
      layer,
      { x0: cx - radius - 2, y0: cy - radius - 2, x1: cx + radius + 2, y1: cy + radius + 2 },
      (x, y) => Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - radius,
      (_x, _y, out) => {
        out[0] = colour[0];
        out[1] = colour[1];
        out[2] = colour[2];
        out[3] = opacity;
      },
    );
  }
  layer.rgb.set(blur(layer.rgb, layer.width, layer.height, 3, unit * rng.range(2, 7)));
  return dim;
}

/**
 * Draped cloth with vertical folds, plain or as a striped flag with a starred field in one corner.
 *
 * @example
 * paintDrape(layer, rng, 1);
 */
export function paintDrape(layer: Layer, rng: SynthRng, unit: number): Rgb {
  const { width, height, rgb } = layer;
  const noise = new ValueNoise(rng);
  const flag = rng.chance(0.5);
  const a = flag ? hsl(rng.pick([0, 0.98, 0.6, 0.33, 0.12]), rng.range(0.5, 0.9), rng.range(0.3, 0.5)) : clothColour(rng);
  const b = flag ? grey(rng.range(0.85, 0.97)) : a;
  const field = hsl(rng.range(0.58, 0.68), rng.range(0.4, 0.8), rng.range(0.15, 0.35));
  const stripeH = unit * rng.range(14, 40);
  const fieldW = width * rng.range(0.3, 0.6);
  const fieldH = height * rng.range(0.3, 0.55);
  const fieldRight = rng.chance(0.5);
  const foldPeriod = unit * rng.range(25, 90);
  const star = unit * rng.range(12, 26);
  const folds = rng.range(0.15, 0.4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The folds bend the cloth: its pattern sways and its light rises and falls across it.
      const sway = (noise.fractal(x / (foldPeriod * 2), y / (height * 0.8), 2) - 0.5) * foldPeriod;
      const shade = 1 - folds + folds * (0.5 + 0.5 * Math.sin(((x + sway) / foldPeriod) * Math.PI * 2));
      let c: Rgb;
      const inField = flag && (fieldRight ? x > width - fieldW : x < fieldW) && y < fieldH;
      if (inField) {
        const sx = (((x + sway * 0.3) % star) + star) % star - star / 2;
        const sy = (y % star) - star / 2;
        c = sx * sx + sy * sy < (star * star) / 10 ? b : field;
      } else {
        const stripe = Math.floor((y + sway * 0.3) / stripeH) % 2 === 0;
        c = stripe ? a : b;
      }
      const j = (y * width + x) * 3;
      rgb[j] = c[0] * shade;
      rgb[j + 1] = c[1] * shade;
      rgb[j + 2] = c[2] * shade;
    }
  }
  return a;
}
