import type { FigureFrame } from './figure-frame';
import { headBox, headDistance } from './paint-head';
import { paintShape, type Layer } from './layer';

/** Where the hair over the skull stops at the sides, in r below the head centre. */
const CAP_BOTTOM = { bald: 0, buzz: -0.05, short: 0.12, long: 0.3, bob: 0.3, bun: 0.05, curly: 0.55 } as const;

/**
 * Paints the hair that hangs behind the head (long hair falling onto the shoulders, a bob, the back
 * of a curly mass) into `layer`. Paint it after the torso and before the neck and head.
 *
 * @example
 * paintBackHair(layer, frame);
 */
export function paintBackHair(layer: Layer, frame: FigureFrame): void {
  const p = frame.params;
  if (p.hairStyle !== 'long' && p.hairStyle !== 'bob' && p.hairStyle !== 'curly') return;
  const r = frame.r;
  const noise = frame.noise;
  const vol = p.hairVolume;
  const distance = (px: number, py: number): number => {
    const hx = frame.headX(px, py);
    const hy = frame.headY(px, py);
    const ragged = p.hairFrizz * (noise.fractal(hx * 9 + 300, hy * 9, 3) - 0.5) * 4;
    if (p.hairStyle === 'curly') {
      const u = hx / (p.headWidth * vol * 1.05);
      const v = (hy + 0.05) / (vol * 0.88);
      return ((Math.sqrt(u * u + v * v) - 1) * p.headWidth * vol - ragged) * r;
    }
    const halfWidth = p.headWidth * vol * (1.02 + 0.22 * Math.min(1, Math.max(0, hy)));
    const end = p.hairLength + 0.25 * (noise.sample(hx * 6 + 70, 3) - 0.5);
    const top = outerDistance(frame, hx, hy);
    const curtain = Math.max(Math.abs(hx) - halfWidth - ragged, hy - end, -hy);
    return Math.min(top, curtain) * r;
  };
  paintShape(layer, { x0: frame.ox - 2.2 * r, y0: frame.oy - 2.1 * r, x1: frame.ox + 2.2 * r, y1: frame.oy + (p.hairLength + 0.6) * r }, distance, hairShader(frame, 1), {
    softness: hairSoftness(frame),
  });
}

/**
 * Paints the hair on the skull (cap, fringe, bun, curls) over the head in `layer`.
 *
 * @example
 * paintHairCap(layer, frame);
 */
export function paintHairCap(layer: Layer, frame: FigureFrame): void {
  const p = frame.params;
  if (p.hairStyle === 'bald') return;
  const r = frame.r;
  const noise = frame.noise;
  const capBottom = CAP_BOTTOM[p.hairStyle];
  const part = ((p.textureSeed % 1000) / 1000 - 0.5) * 0.5;
  const distance = (px: number, py: number): number => {
    const hx = frame.headX(px, py);
    const hy = frame.headY(px, py);
    const outer = outerDistance(frame, hx, hy);
    // The hairline: a curve over the forehead, lower at the temples, with an uneven edge.
    const xn = hx / p.headWidth;
    const hairline = p.hairline + 0.32 * xn * xn + part * xn * 0.4 + 0.05 * (noise.sample(hx * 14 + 11, 5) - 0.5);
    const onSkull = Math.min(hy - hairline, -headDistance(frame, hx, hy));
    let d = Math.max(outer, onSkull, hy - capBottom);
    if (p.hairStyle === 'bun') {
      const bx = hx - part * 0.6;
      const by = hy + vol(frame) + 0.12;
      d = Math.min(d, Math.hypot(bx, by) - 0.3);
    }
    return d * r;
  };
  const buzz = p.hairStyle === 'buzz';
  paintShape(layer, headBox(frame), distance, hairShader(frame, buzz ? 0.7 : 1), { softness: hairSoftness(frame) });
}

function vol(frame: FigureFrame): number {
  return frame.params.hairVolume;
}

/** Distance (units of r) of the hair mass around the skull, with a ragged edge. */
function outerDistance(frame: FigureFrame, hx: number, hy: number): number {
  const p = frame.params;
  const v = p.hairVolume;
  const ragged = p.hairFrizz * (frame.noise.fractal(hx * 9 + 300, hy * 9, 3) - 0.5) * 4;
  const cy = -(v - 1) * 0.5;
  const u = hx / (p.headWidth * v);
  const w = (hy - cy) / v;
  return (Math.sqrt(u * u + w * w) - 1) * p.headWidth * v - ragged;
}

function hairSoftness(frame: FigureFrame): number {
  return 1 + Math.min(3, frame.params.hairFrizz * frame.r * 0.4);
}

/** Hair colour with strands, shading on the skull's shape and a sheen; `opacity` < 1 for thin hair. */
function hairShader(frame: FigureFrame, opacity: number): (px: number, py: number, out: Float32Array) => void {
  const p = frame.params;
  const noise = frame.noise;
  const curly = p.hairStyle === 'curly';
  return (px, py, out) => {
    const hx = frame.headX(px, py);
    const hy = frame.headY(px, py);
    const strands = curly
      ? noise.fractal(hx * 30 + 500, hy * 30, 2)
      : 0.6 * noise.sample(hx * 42 + 500, hy * 4) + 0.4 * noise.sample(hx * 90 + 800, hy * 9);
    const base = 0.72 + 0.56 * strands;
    const v = p.hairVolume;
    const nx = Math.max(-1, Math.min(1, hx / (p.headWidth * v * 1.1)));
    const ny = Math.max(-1, Math.min(1, hy / (v * 1.1))) * 0.8;
    const nz = Math.sqrt(Math.max(0.05, 1 - nx * nx - ny * ny));
    const c: [number, number, number] = [p.hair[0] * base, p.hair[1] * base, p.hair[2] * base];
    frame.shadeSurface(c, nx, ny, nz, 0.12 * strands, out);
    out[3] = opacity;
  };
}
