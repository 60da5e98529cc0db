import { ellipseCover, smoothstep, type FigureFrame } from './figure-frame';
import { paintShape, type Layer, type PixelBox } from './layer';

/** Height of the eyes, in r below the head centre. */
const EYE_Y = 0.04;

/**
 * Signed distance (units of r, negative inside) of the head outline at head point (hx, hy): an
 * ellipse that narrows towards the chin.
 *
 * @example
 * headDistance(frame, 0, 1.2); // > 0, below the chin
 */
export function headDistance(frame: FigureFrame, hx: number, hy: number): number {
  const p = frame.params;
  const taper = hy > 0 ? 1 - p.jaw * hy * hy : 1 - 0.06 * hy * hy;
  const rx = p.headWidth * Math.max(0.2, taper);
  const u = hx / rx;
  const q = Math.sqrt(u * u + hy * hy);
  return (q - 1) * Math.min(rx, 1);
}

/**
 * Paints both ears (the one on the side the head turns away from shows more) into `layer`.
 *
 * @example
 * paintEars(layer, frame);
 */
export function paintEars(layer: Layer, frame: FigureFrame): void {
  const p = frame.params;
  const r = frame.r;
  for (let side = -1; side <= 1; side += 2) {
    const show = 1 - 0.8 * Math.max(0, frame.pose.yaw * side);
    const ex = side * p.headWidth * (0.93 + 0.08 * show);
    const ey = 0.1;
    const a = 0.13 * show + 0.02;
    const b = 0.24;
    const distance = (px: number, py: number): number => {
      const u = (frame.headX(px, py) - ex) / a;
      const v = (frame.headY(px, py) - ey) / b;
      return (Math.sqrt(u * u + v * v) - 1) * Math.min(a, b) * r;
    };
    const shade = (px: number, py: number, out: Float32Array): void => {
      const hx = frame.headX(px, py);
      const hy = frame.headY(px, py);
      frame.shadeSurface(p.skin, side * 0.7, (hy - ey) * 0.8, 0.5, 0.02, out);
      const inner = ellipseCover(hx, hy, ex - side * a * 0.15, ey, a * 0.45, b * 0.6, r);
      const k = (1 - 0.25 * inner) * 0.95;
      out[0] *= k * 1.03;
      out[1] *= k;
      out[2] *= k;
    };
    // The ear's box, padded for any head tilt.
    const cx = frame.ox + ex * r;
    const cy = frame.oy + ey * r;
    const reach = (Math.hypot(ex, 1.1 - ey) * Math.abs(Math.sin(frame.pose.roll)) + b + 0.1) * r;
    paintShape(layer, { x0: cx - reach, y0: cy - reach, x1: cx + reach, y1: cy + reach }, distance, shade);
  }
}

/**
 * Paints the head with its face: shaded skin, eye sockets, eyes, brows, nose, mouth (open by the
 * pose), an optional beard and glasses, into `layer`.
 *
 * @example
 * paintHead(layer, frame);
 */
export function paintHead(layer: Layer, frame: FigureFrame): void {
  const p = frame.params;
  const pose = frame.pose;
  const r = frame.r;
  const noise = frame.noise;
  const distance = (px: number, py: number): number => headDistance(frame, frame.headX(px, py), frame.headY(px, py)) * r;
  const darkSide = p.light[0] > 0 ? -1 : 1;
  const browColour = dim(p.hair, 0.8);
  const eyeWhite = dim(p.skin, 0.15, [0.8, 0.78, 0.74]);
  const lipColour = dim(p.lipColour, 0.5 + 0.5 * (p.ambient + 0.3));
  const beardDark = dim(p.hair, 0.75);
  const beardLight = dim(p.hair, 1.15);
  const pupil = [0.02, 0.02, 0.02];
  const lash = [0.06, 0.04, 0.03];
  const frameColour = [0.08, 0.07, 0.07];
  const mouthInside = new Float32Array(3);
  const shade = (px: number, py: number, out: Float32Array): void => {
    const hx = frame.headX(px, py);
    const hy = frame.headY(px, py);
    const taper = hy > 0 ? 1 - p.jaw * hy * hy : 1;
    const nx = Math.max(-1, Math.min(1, hx / (p.headWidth * Math.max(0.3, taper))));
    const ny = Math.max(-1, Math.min(1, hy)) * 0.85;
    const nz = Math.sqrt(Math.max(0.02, 1 - nx * nx * 0.9 - ny * ny));
    // Slightly mottled skin.
    const mottle = 0.96 + 0.08 * noise.sample(hx * 18 + 200, hy * 18);
    frame.shadeSurface(p.skin, nx, ny, nz, 0.08, out);
    let k = mottle;
    // Features move with the turn of the head, more near its middle.
    const fx = hx - pose.yaw * 0.3 * Math.sqrt(Math.max(0, 1 - hy * hy));
    const fy = hy;
    const eyeSpan = p.headWidth * 0.42;
    for (let side = -1; side <= 1; side += 2) {
      const ex = side * eyeSpan * (1 - 0.25 * pose.yaw * side);
      const ew = 0.11 * (1 - 0.35 * Math.max(0, pose.yaw * side));
      k *= 1 - 0.16 * ellipseCover(fx, fy, ex, EYE_Y - 0.02, ew * 1.9, 0.13, r * 0.25); // socket
      const brow = ellipseCover(fx, fy, ex * 1.05, EYE_Y - 0.17 - 0.03 * Math.abs(fx - ex * 1.05) * 4, ew * 1.35, 0.03, r);
      if (brow > 0) mixInto(out, browColour, brow * 0.85);
      const open = Math.max(0.05, pose.eyesOpen);
      const white = ellipseCover(fx, fy, ex, EYE_Y, ew, 0.045 * open, r);
      if (white > 0) {
        mixInto(out, eyeWhite, white * 0.9);
        const iris = ellipseCover(fx, fy, ex + pose.yaw * 0.03, EYE_Y, 0.047, 0.047, r) * white;
        if (iris > 0) mixInto(out, p.eyeColour, iris);
        const pupilCover = ellipseCover(fx, fy, ex + pose.yaw * 0.03, EYE_Y, 0.02, 0.02, r) * white;
        if (pupilCover > 0) mixInto(out, pupil, pupilCover);
      }
      // Lash line along the upper lid.
      const lid = ellipseCover(fx, fy, ex, EYE_Y + 0.005, ew * 1.08, 0.06 * open + 0.008, r) * (fy < EYE_Y ? 1 : 0.3) * (1 - white);
      if (lid > 0) mixInto(out, lash, lid * 0.8);
      if (p.glasses) {
        const ring =
          ellipseCover(fx, fy, ex, EYE_Y, ew * 1.75, 0.13, r) - ellipseCover(fx, fy, ex, EYE_Y, ew * 1.75 - 0.025, 0.105, r);
        if (ring > 0) mixInto(out, frameColour, ring);
      }
    }
    if (p.glasses) {
      const bridge = ellipseCover(fx, fy, 0, EYE_Y - 0.04, 0.08, 0.012, r);
      if (bridge > 0) mixInto(out, frameColour, bridge);
    }
    // Nose: a shadow down one side, the nostrils, a highlight on the tip.
    k *= 1 - 0.12 * ellipseCover(fx, fy, darkSide * 0.055, 0.24, 0.05, 0.2, r * 0.3);
    k *= 1 - 0.45 * (ellipseCover(fx, fy, -0.06, 0.36, 0.035, 0.018, r) + ellipseCover(fx, fy, 0.06, 0.36, 0.035, 0.018, r));
    k *= 1 + 0.08 * ellipseCover(fx, fy, 0, 0.3, 0.05, 0.05, r * 0.4);
    k *= 1 - 0.1 * ellipseCover(fx, fy, 0, 0.46, 0.12, 0.04, r * 0.3); // under the nose
    out[0] *= k;
    out[1] *= k;
    out[2] *= k;
    if (p.beard > 0 && hy > 0.22) {
      const fill = smoothstep(0.22, 0.42, hy) * (0.5 + 0.5 * noise.sample(hx * 40, hy * 40));
      const hairy = p.beard * fill * (1 - ellipseCover(fx, fy, 0, 0.57, 0.2, 0.07, r));
      if (hairy > 0) {
        const t = noise.sample(hx * 60 + 9, hy * 20);
        for (let c = 0; c < 3; c++) out[c] += (beardDark[c] + (beardLight[c] - beardDark[c]) * t - out[c]) * hairy;
      }
    }
    const mouthY = 0.57;
    const open = pose.mouthOpen;
    const lips = ellipseCover(fx, fy, 0, mouthY, 0.2, 0.045 + 0.06 * open, r);
    if (lips > 0) {
      mixInto(out, lipColour, lips * 0.85);
      const gap = ellipseCover(fx, fy, 0, mouthY, 0.16, 0.008 + 0.065 * open, r);
      if (gap > 0) {
        const teeth = open > 0.25 ? ellipseCover(fx, fy, 0, mouthY - 0.045 * open, 0.12, 0.022 * open, r) : 0;
        mouthInside[0] = 0.12 + 0.6 * teeth;
        mouthInside[1] = 0.05 + 0.6 * teeth;
        mouthInside[2] = 0.05 + 0.55 * teeth;
        mixInto(out, mouthInside, gap);
      }
    }
  };
  paintShape(layer, headBox(frame), distance, shade);
}

/**
 * A pixel box that holds the head, its hair and ears in any tilt.
 *
 * @example
 * paintShape(layer, headBox(frame), distance, shade);
 */
export function headBox(frame: FigureFrame): PixelBox {
  const extent = 2.1 * frame.r;
  return { x0: frame.ox - extent, y0: frame.oy - extent, x1: frame.ox + extent, y1: frame.oy + extent };
}

function mixInto(out: Float32Array, c: ArrayLike<number>, t: number): void {
  out[0] += (c[0] - out[0]) * t;
  out[1] += (c[1] - out[1]) * t;
  out[2] += (c[2] - out[2]) * t;
}

function dim(c: readonly number[], k: number, towards: readonly number[] = [0, 0, 0]): [number, number, number] {
  return [towards[0] + (c[0] - towards[0]) * k, towards[1] + (c[1] - towards[1]) * k, towards[2] + (c[2] - towards[2]) * k];
}
