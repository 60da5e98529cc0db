import type { FigureFrame } from './figure-frame';
import { smin, smoothstep } from './figure-frame';
import { paintShape, type Layer } from './layer';
import type { Rgb } from './palette';

const TIE: Rgb = [0.35, 0.08, 0.1];

/**
 * Paints the torso with its clothing (pattern, folds, neckline, jacket and tie) and the neck stump
 * that joins it, into `layer`.
 *
 * @example
 * paintTorso(layer, frame);
 */
export function paintTorso(layer: Layer, frame: FigureFrame): void {
  const p = frame.params;
  const r = frame.r;
  const W = p.shoulderWidth;
  const H = p.shoulderHeight;
  // Blend of a round (exponent 2) and a square (exponent 4) superellipse: no Math.pow per pixel.
  const square = Math.min(1, Math.max(0, (p.shoulderPower - 2) / 2));
  const domeY = p.shoulderTop + H;
  const scaleDome = Math.min(W, H);
  const cloth = new Float32Array(3);
  const distance = (px: number, py: number): number => {
    const bx = frame.bodyX(px);
    const by = frame.bodyY(py);
    const ax = Math.abs(bx);
    let dT: number;
    if (by < domeY) {
      const u = ax / W;
      const v = (domeY - by) / H;
      const u2 = u * u;
      const v2 = v * v;
      const q2 = Math.sqrt(u2 + v2);
      const q4 = Math.sqrt(Math.sqrt(u2 * u2 + v2 * v2));
      dT = (q2 + (q4 - q2) * square - 1) * scaleDome;
    } else {
      // Arms hang slightly outwards, then the body narrows a little towards the waist.
      const below = by - domeY;
      dT = ax - W * (1 + 0.06 * Math.min(1.5, below) - 0.04 * Math.max(0, below - 1.5));
    }
    const dN = Math.max(ax - neckHalfWidth(p.neckWidth, by), 0.6 - by);
    return smin(dT, dN, 0.35) * r;
  };
  const shade = (px: number, py: number, out: Float32Array): void => {
    const bx = frame.bodyX(px);
    const by = frame.bodyY(py);
    const nx = Math.max(-1, Math.min(1, bx / (W * 1.08)));
    const ny = by < domeY ? -Math.min(1, (domeY - by) / H) * 0.7 : 0;
    const nz = Math.sqrt(Math.max(0.04, 1 - nx * nx - ny * ny));
    clothAt(frame, bx, by, cloth);
    frame.shadeSurface(cloth, nx, ny, nz, 0.02, out);
    if (by > domeY - 0.3) {
      // A crease where each arm meets the chest.
      const e = (Math.abs(bx) - W * 0.74) / 0.06;
      const crease = 1 - 0.3 * Math.exp(-e * e) * Math.min(1, (by - domeY + 0.3) / 0.6);
      out[0] *= crease;
      out[1] *= crease;
      out[2] *= crease;
    }
    const skinShare = 1 - clothShare(frame, bx, by);
    if (skinShare > 0) {
      const c0 = out[0];
      const c1 = out[1];
      const c2 = out[2];
      frame.shadeSurface(p.skin, nx * 0.8, ny, nz, 0.06, out);
      out[0] = c0 + (out[0] - c0) * skinShare;
      out[1] = c1 + (out[1] - c1) * skinShare;
      out[2] = c2 + (out[2] - c2) * skinShare;
    }
  };
  const x0 = frame.ox - (W * 1.4 + 0.5) * r;
  const x1 = frame.ox + (W * 1.4 + 0.5) * r;
  paintShape(layer, { x0, y0: frame.oy + 0.4 * r, x1, y1: layer.height }, distance, shade);
}

/**
 * Paints the visible neck (over long hair that falls behind it) into `layer`: skin shaded like a
 * cylinder and darkened under the chin, or clothing where a high neckline covers it.
 *
 * @example
 * paintNeck(layer, frame);
 */
export function paintNeck(layer: Layer, frame: FigureFrame): void {
  const p = frame.params;
  const r = frame.r;
  const bottom = p.shoulderTop + 0.25;
  const cloth = new Float32Array(3);
  const distance = (px: number, py: number): number => {
    const bx = frame.bodyX(px);
    const by = frame.bodyY(py);
    return Math.max(Math.abs(bx) - neckHalfWidth(p.neckWidth, by), 0.5 - by, by - bottom) * r;
  };
  const shade = (px: number, py: number, out: Float32Array): void => {
    const bx = frame.bodyX(px);
    const by = frame.bodyY(py);
    const nx = Math.max(-1, Math.min(1, bx / (p.neckWidth * 1.1)));
    const nz = Math.sqrt(Math.max(0.05, 1 - nx * nx));
    const share = clothShare(frame, bx, by);
    if (share > 0.5) clothAt(frame, bx, by, cloth);
    frame.shadeSurface(share > 0.5 ? cloth : p.skin, nx, 0.1, nz, 0.03, out);
    // The jaw shades the top of the neck.
    const shadow = 0.6 + 0.4 * smoothstep(0.85, 1.55, by);
    out[0] *= shadow;
    out[1] *= shadow;
    out[2] *= shadow;
    // Fade out into the torso so the two meet without a seam.
    out[3] = 1 - smoothstep(bottom - 0.2, bottom, by);
  };
  paintShape(layer, { x0: frame.ox - r, y0: frame.oy + 0.4 * r, x1: frame.ox + r, y1: frame.oy + (bottom + 0.1) * r }, distance, shade);
}

function neckHalfWidth(neckWidth: number, by: number): number {
  return neckWidth * (1 + 0.18 * Math.max(0, by - 1.1));
}

/** Share of clothing (vs skin) at body point (bx, by), anti-aliased over a pixel. */
function clothShare(frame: FigureFrame, bx: number, by: number): number {
  const p = frame.params;
  const nb = p.shoulderTop - 0.05;
  const ax = Math.abs(bx);
  let edge: number;
  switch (p.neckline) {
    case 'crew': {
      const hw = p.neckWidth * 1.35;
      edge = nb + 0.12 * (1 - (ax / hw) ** 2);
      break;
    }
    case 'v': {
      const hw = p.neckWidth * 1.4;
      edge = nb + 0.65 * (1 - ax / hw);
      break;
    }
    case 'scoop':
      edge = nb + 0.45 * (1 - (ax / 0.95) ** 2);
      break;
    case 'boat':
      edge = nb + 0.3 + 0.1 * (1 - (ax / 1.6) ** 2);
      break;
    case 'turtle':
      edge = 1.02 + 0.15 * (ax / p.neckWidth) ** 2;
      break;
    case 'jacket': {
      const hw = p.neckWidth * 1.2;
      edge = nb - 0.05 + 0.22 * (1 - ax / hw);
      break;
    }
  }
  return Math.min(1, Math.max(0, 0.5 + (by - edge) * frame.r));
}

/** Writes the clothing colour at body point (bx, by) to `out`: pattern, jacket and shirt, tie, and folds. */
function clothAt(frame: FigureFrame, bx: number, by: number, out: Float32Array): void {
  const p = frame.params;
  const r = frame.r;
  const noise = frame.noise;
  out[0] = p.cloth[0];
  out[1] = p.cloth[1];
  out[2] = p.cloth[2];
  if (p.neckline === 'jacket') {
    // Lapels open in a V from the neck down; the shirt (cloth2) shows inside it.
    const nb = p.shoulderTop - 0.1;
    const half = 0.62 * (1 - (by - nb) / 2.4);
    const inShirt = Math.min(1, Math.max(0, 0.5 + (half - Math.abs(bx)) * r));
    if (inShirt > 0 && by > nb - 0.2) {
      // Lapel shadow along the V edge.
      const shadow = 1 - 0.35 * Math.max(0, 1 - (half - Math.abs(bx)) * 12);
      let inTie = 0;
      if (p.tie && by > nb + 0.08) {
        const tieHalf = 0.06 + 0.05 * Math.max(0, by - nb);
        inTie = Math.min(1, Math.max(0, 0.5 + (tieHalf - Math.abs(bx)) * r));
      }
      for (let c = 0; c < 3; c++) {
        const shirt = (p.cloth2[c] + (TIE[c] - p.cloth2[c]) * inTie) * shadow;
        out[c] += (shirt - out[c]) * inShirt;
      }
    }
  } else if (p.pattern !== 'solid') {
    const u = (bx * frame.patternCos + by * frame.patternSin) / p.patternPeriod;
    const sharp = Math.max(1, (p.patternPeriod * r) / 3);
    let m: number;
    switch (p.pattern) {
      case 'stripes':
        m = stripe(u, sharp);
        break;
      case 'checks': {
        const v = (-bx * frame.patternSin + by * frame.patternCos) / p.patternPeriod;
        m = 0.5 * (stripe(u, sharp) + stripe(v, sharp));
        break;
      }
      case 'knit':
        m = noise.sample(bx * 45, by * 45) * 0.6 + noise.sample(bx * 12 + 50, by * 12) * 0.4;
        break;
      default:
        m = Math.min(1, Math.max(0, (noise.fractal(bx * 3 + 20, by * 3, 2) - 0.5) * 8 + 0.5));
    }
    for (let c = 0; c < 3; c++) out[c] += (p.cloth2[c] - out[c]) * m;
  }
  // Folds: slow brightness waves, mostly vertical.
  const fold = 0.86 + 0.28 * noise.sample(bx * 2.2 + 40, by * 0.9);
  out[0] *= fold;
  out[1] *= fold;
  out[2] *= fold;
}

function stripe(u: number, sharp: number): number {
  const s = Math.sin(2 * Math.PI * u);
  return Math.min(1, Math.max(0, 0.5 + s * sharp));
}
