import { paintWall } from './background-kinds';
import { paintShape, type Layer } from './layer';
import { clothColour, hsl, mix, scale, wallColour, type Rgb } from './palette';
import type { SynthRng } from './synth-rng';
import { ValueNoise } from './value-noise';

/**
 * A room behind the speaker: a wall with a floor or skirting line, and some of a door, a window,
 * a bookshelf, framed pictures, a plant and a lamp.
 *
 * @example
 * paintRoom(layer, rng, 1);
 */
export function paintRoom(layer: Layer, rng: SynthRng, unit: number): Rgb {
  const wall = paintWall(layer, rng, unit);
  const { width, height } = layer;
  if (rng.chance(0.4)) {
    const floorY = height * rng.range(0.55, 0.95);
    const floor = scale(wallColour(rng), rng.range(0.4, 0.8));
    rect(layer, 0, floorY, width, height, floor, 0.06, rng);
  }
  const items = rng.int(1, 4);
  for (let k = 0; k < items; k++) {
    switch (rng.pick(['door', 'window', 'shelf', 'shelf', 'picture', 'plant', 'lamp'] as const)) {
      case 'door': {
        const w = width * rng.range(0.2, 0.35);
        const x = rng.range(-0.1, 0.9) * width;
        const y = height * rng.range(-0.2, 0.2);
        const frame = scale(wallColour(rng), 0.8);
        rect(layer, x - 6 * unit, y - 6 * unit, x + w + 6 * unit, height, frame, 0.03, rng);
        rect(layer, x, y, x + w, height, mix(frame, clothColour(rng), 0.4), 0.08, rng);
        break;
      }
      case 'window': {
        const w = width * rng.range(0.2, 0.45);
        const h = height * rng.range(0.25, 0.5);
        const x = rng.range(-0.1, 0.9) * width;
        const y = height * rng.range(0, 0.35);
        const frame = rng.chance(0.5) ? [0.92, 0.92, 0.9] as Rgb : scale(wallColour(rng), 0.5);
        rect(layer, x - 5 * unit, y - 5 * unit, x + w + 5 * unit, y + h + 5 * unit, frame, 0.02, rng);
        const sky = hsl(rng.range(0.52, 0.62), rng.range(0.1, 0.6), rng.range(0.65, 0.95));
        rect(layer, x, y, x + w, y + h, sky, 0.15, rng);
        rect(layer, x + w / 2 - 2 * unit, y, x + w / 2 + 2 * unit, y + h, frame, 0, rng);
        rect(layer, x, y + h / 2 - 2 * unit, x + w, y + h / 2 + 2 * unit, frame, 0, rng);
        break;
      }
      case 'shelf':
        paintShelf(layer, rng, unit);
        break;
      case 'picture': {
        const w = width * rng.range(0.1, 0.3);
        const h = w * rng.range(0.6, 1.4);
        const x = rng.range(0, 0.9) * width;
        const y = height * rng.range(0.02, 0.4);
        rect(layer, x, y, x + w, y + h, scale(clothColour(rng), 0.6), 0.05, rng);
        const inset = w * 0.1;
        rect(layer, x + inset, y + inset, x + w - inset, y + h - inset, clothColour(rng), 0.5, rng);
        break;
      }
      case 'plant':
        paintPlant(layer, rng, unit);
        break;
      case 'lamp': {
        const cx = rng.range(0, width);
        const cy = height * rng.range(0.1, 0.5);
        const rad = unit * rng.range(15, 45);
        const glow = hsl(rng.range(0.08, 0.14), rng.range(0.3, 0.8), rng.range(0.75, 0.95));
        paintShape(
          layer,
          { x0: cx - rad * 1.2, y0: cy - rad, x1: cx + rad * 1.2, y1: cy + rad * 0.8 },
          (x, y) => Math.max(Math.abs(x - cx) - rad * (0.6 + 0.4 * (y - cy + rad) / (1.6 * rad)), cy - rad * 0.7 - y, y - cy - rad * 0.6),
          (_x, _y, out) => out.set(glow),
        );
        break;
      }
    }
  }
  return wall;
}

/** A bookshelf: a wooden case with shelves full of book spines. */
function paintShelf(layer: Layer, rng: SynthRng, unit: number): void {
  const { width, height } = layer;
  const w = width * rng.range(0.25, 0.7);
  const x0 = rng.range(-0.2, 0.9) * width;
  const y0 = height * rng.range(-0.1, 0.3);
  const wood = hsl(rng.range(0.05, 0.1), rng.range(0.2, 0.6), rng.range(0.1, 0.45));
  rect(layer, x0, y0, x0 + w, height, wood, 0.1, rng);
  const shelfH = unit * rng.range(45, 80);
  const board = 5 * unit;
  for (let sy = y0 + board; sy < height; sy += shelfH) {
    rect(layer, x0 + board, sy, x0 + w - board, sy + shelfH - board, scale(wood, 0.45), 0, rng);
    let bx = x0 + board;
    while (bx < x0 + w - board) {
      const bw = unit * rng.range(4, 14);
      const bh = (shelfH - board) * rng.range(0.6, 0.95);
      const bottom = sy + shelfH - board;
      if (rng.chance(0.85)) rect(layer, bx, bottom - bh, Math.min(bx + bw, x0 + w - board), bottom, clothColour(rng), 0.05, rng);
      bx += bw + unit * rng.range(0, 2);
    }
  }
}

/** A potted plant: a pot and a ragged green mass of leaves. */
function paintPlant(layer: Layer, rng: SynthRng, unit: number): void {
  const { width, height } = layer;
  const cx = rng.range(0, width);
  const base = height * rng.range(0.6, 1.05);
  const size = unit * rng.range(50, 120);
  const pot = clothColour(rng);
  rect(layer, cx - size * 0.35, base - size * 0.4, cx + size * 0.35, base + size, pot, 0.05, rng);
  const noise = new ValueNoise(rng);
  const green = hsl(rng.range(0.22, 0.4), rng.range(0.3, 0.7), rng.range(0.15, 0.4));
  const cy = base - size * 0.9;
  paintShape(
    layer,
    { x0: cx - size * 1.3, y0: cy - size * 1.3, x1: cx + size * 1.3, y1: cy + size * 1.3 },
    (x, y) => Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - size * (0.55 + 0.6 * noise.fractal(x / (size * 0.25), y / (size * 0.25), 2)),
    (x, y, out) => {
      const k = 0.6 + 0.8 * noise.sample(x / (size * 0.08) + 40, y / (size * 0.08));
      out[0] = green[0] * k;
      out[1] = green[1] * k;
      out[2] = green[2] * k;
    },
  );
}

/** One texture shared by every rectangle of a room, keyed by the random source that paints it. */
const textures = new WeakMap<SynthRng, ValueNoise>();

/** Paints an axis-aligned rectangle with a little texture (`grain`). */
function rect(layer: Layer, x0: number, y0: number, x1: number, y1: number, colour: Rgb, grain: number, rng: SynthRng): void {
  let noise: ValueNoise | undefined;
  if (grain > 0) {
    noise = textures.get(rng);
    if (!noise) {
      noise = new ValueNoise(rng);
      textures.set(rng, noise);
    }
  }
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hw = (x1 - x0) / 2;
  const hh = (y1 - y0) / 2;
  paintShape(
    layer,
    { x0: x0 - 1, y0: y0 - 1, x1: x1 + 1, y1: y1 + 1 },
    (x, y) => Math.max(Math.abs(x - cx) - hw, Math.abs(y - cy) - hh),
    (x, y, out) => {
      const k = noise ? 1 - grain + 2 * grain * noise.sample(x / 30 + x0, y / 30 + y0) : 1;
      out[0] = colour[0] * k;
      out[1] = colour[1] * k;
      out[2] = colour[2] * k;
    },
  );
}
