import type { FigureParams, FigurePose } from './figure-params';
import { ValueNoise } from './value-noise';
import { createSynthRng } from './synth-rng';
import type { Rgb } from './palette';

/**
 * One figure placed in one frame: its parameters, pose, and the mapping from pixels to the body's
 * and the head's own coordinates (units of r; the head turns with its tilt around the neck).
 *
 * @example
 * const frame = new FigureFrame(params, NEUTRAL_POSE);
 * frame.headX(200, 150); // -0.3: left of the head centre
 */
export class FigureFrame {
  /** Body origin (the head centre at rest, plus the pose offset), pixels. */
  readonly ox: number;
  readonly oy: number;
  readonly r: number;
  /** cos and sin of the clothing pattern's angle. */
  readonly patternCos: number;
  readonly patternSin: number;
  /** Texture noise of this figure. */
  readonly noise: ValueNoise;
  private readonly cos: number;
  private readonly sin: number;
  private readonly pivotX: number;
  private readonly pivotY: number;
  /** Blinn half-vector between the light and the camera (0, 0, 1), normalised. */
  private readonly halfX: number;
  private readonly halfY: number;
  private readonly halfZ: number;

  /** Places `params` with `pose`. */
  constructor(
    readonly params: FigureParams,
    readonly pose: FigurePose,
  ) {
    this.ox = params.x + pose.dx;
    this.oy = params.y + pose.dy;
    this.r = params.r;
    this.cos = Math.cos(pose.roll);
    this.sin = Math.sin(pose.roll);
    // The head tilts around the top of the neck.
    this.pivotX = this.ox;
    this.pivotY = this.oy + 1.1 * this.r;
    this.patternCos = Math.cos(params.patternAngle);
    this.patternSin = Math.sin(params.patternAngle);
    this.noise = new ValueNoise(createSynthRng(params.textureSeed));
    const [lx, ly, lz] = params.light;
    const hn = Math.sqrt(lx * lx + ly * ly + (lz + 1) * (lz + 1));
    this.halfX = lx / hn;
    this.halfY = ly / hn;
    this.halfZ = (lz + 1) / hn;
  }

  /** Body x of a pixel, in r from the head centre. */
  bodyX(px: number): number {
    return (px - this.ox) / this.r;
  }

  /** Body y of a pixel, in r from the head centre (down is positive). */
  bodyY(py: number): number {
    return (py - this.oy) / this.r;
  }

  /** Head x of a pixel: body coordinates untilted around the neck. */
  headX(px: number, py: number): number {
    const qx = px - this.pivotX;
    const qy = py - this.pivotY;
    return (qx * this.cos + qy * this.sin) / this.r;
  }

  /** Head y of a pixel: body coordinates untilted around the neck. */
  headY(px: number, py: number): number {
    const qx = px - this.pivotX;
    const qy = py - this.pivotY;
    return (-qx * this.sin + qy * this.cos) / this.r + 1.1;
  }

  /**
   * Lambert shading plus a small specular highlight of a surface colour for normal (nx, ny, nz),
   * written to `out`.
   */
  shadeSurface(base: Readonly<Rgb> | Float32Array, nx: number, ny: number, nz: number, shine: number, out: Float32Array): void {
    const [lx, ly, lz] = this.params.light;
    const ambient = this.params.ambient;
    const lambert = Math.max(0, nx * lx + ny * ly + nz * lz);
    const k = ambient + (1 - ambient) * lambert * 1.1;
    const h = nx * this.halfX + ny * this.halfY + nz * this.halfZ;
    let spec = 0;
    if (h > 0.7) {
      // h^24 by squaring.
      const h2 = h * h;
      const h4 = h2 * h2;
      const h8 = h4 * h4;
      spec = shine * h8 * h8 * h8;
    }
    out[0] = base[0] * k + spec;
    out[1] = base[1] * k + spec;
    out[2] = base[2] * k + spec;
  }
}

/**
 * Smooth minimum of two distances (polynomial, Quilez): unions two shapes with a fillet of size `k`.
 *
 * @example
 * smin(dTorso, dNeck, 0.3);
 */
export function smin(a: number, b: number, k: number): number {
  const h = Math.max(k - Math.abs(a - b), 0) / k;
  return Math.min(a, b) - (h * h * k) / 4;
}

/**
 * Coverage in [0, 1] of an axis-aligned ellipse with centre (cx, cy) and radii (a, b) (units of r)
 * at (x, y), anti-aliased over about one pixel (`r` pixels per unit).
 *
 * @example
 * ellipseCover(fx, fy, 0.3, 0, 0.1, 0.05, frame.r);
 */
export function ellipseCover(x: number, y: number, cx: number, cy: number, a: number, b: number, r: number): number {
  const margin = 1 / r;
  if (x < cx - a - margin || x > cx + a + margin || y < cy - b - margin || y > cy + b + margin) return 0;
  const u = (x - cx) / a;
  const v = (y - cy) / b;
  const q = Math.sqrt(u * u + v * v);
  const d = (q - 1) * Math.min(a, b) * r;
  return d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d;
}

/**
 * `value` clamped to [0, 1] after a linear ramp from `edge0` (0) to `edge1` (1), smoothed.
 *
 * @example
 * smoothstep(0, 1, 0.5); // 0.5
 */
export function smoothstep(edge0: number, edge1: number, value: number): number {
  const t = Math.min(1, Math.max(0, (value - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}
