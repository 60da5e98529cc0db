import { createSynthRng } from './synth-rng';

/** Another person's hand over a frame: colour and coverage. */
export interface Intrusion {
  /** Packed RGB24 of the hand (meaningful where `alpha` > 0). */
  readonly rgb: Uint8Array;
  /** Coverage, 0 … 255. */
  readonly alpha: Uint8Array;
}

/**
 * Another person's fingers entering a frame at the lower left, as in the published study's patching
 * edit: a palm and four fingers (rounded capsules, skin-toned, lit from above) that slide in along a
 * diagonal, wiggle, and leave again, over `span` frames starting at `start`. Outside that span, or at
 * frame indices where the hand is fully out, the coverage is all zero. Deterministic from `seed`.
 *
 * @example
 * const hand = paintIntrusion(25, 400, 400, { start: 10, span: 40 });
 */
export function paintIntrusion(
  index: number,
  width: number,
  height: number,
  options: { start?: number; span?: number; seed?: number } = {},
): Intrusion {
  const start = options.start ?? 0;
  const span = options.span ?? 40;
  const rng = createSynthRng(options.seed ?? 11);
  const skin = [rng.range(150, 235), rng.range(100, 170), rng.range(80, 140)];
  const unit = Math.min(width, height) / 400;
  const rgb = new Uint8Array(width * height * 3);
  const alpha = new Uint8Array(width * height);
  const phase = (index - start) / span;
  if (phase <= 0 || phase >= 1) return { rgb, alpha };
  // In over the first third, steady (with a wiggle) in the middle, out over the last third.
  const reach = Math.min(1, Math.sin(Math.PI * phase) * 1.6);
  const wiggle = Math.sin(index * 0.9) * 0.08;
  const angle = -Math.PI / 5 + wiggle; // pointing up and to the right
  const dir = [Math.cos(angle), Math.sin(angle)] as const;
  const normal = [-dir[1], dir[0]] as const;
  const base = [-40 * unit + reach * 240 * unit, height + 40 * unit - reach * 170 * unit];
  const capsules: Array<{ a: number[]; b: number[]; r: number }> = [];
  capsules.push({ a: [base[0]! - dir[0] * 600 * unit, base[1]! - dir[1] * 600 * unit], b: base, r: 40 * unit }); // palm and forearm, out of the frame
  [-1.5, -0.5, 0.5, 1.5].forEach((k, f) => {
    const root = [base[0]! + normal[0] * k * 20 * unit, base[1]! + normal[1] * k * 20 * unit];
    const length = (f === 0 || f === 3 ? 55 : 72) * unit * (1 + 0.1 * Math.sin(index * 0.7 + f));
    capsules.push({ a: root, b: [root[0]! + dir[0] * length, root[1]! + dir[1] * length], r: 9.5 * unit });
  });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let distance = Infinity;
      for (const c of capsules) distance = Math.min(distance, segmentDistance(x + 0.5, y + 0.5, c.a, c.b) - c.r);
      const cover = Math.min(1, Math.max(0, 0.5 - distance));
      if (cover <= 0) continue;
      const i = y * width + x;
      const shade = 0.8 + 0.25 * Math.min(1, Math.max(0, -distance / (12 * unit)));
      for (let ch = 0; ch < 3; ch++) rgb[i * 3 + ch] = Math.min(255, Math.round(skin[ch]! * shade));
      alpha[i] = Math.round(cover * 255);
    }
  }
  return { rgb, alpha };
}

function segmentDistance(x: number, y: number, a: number[], b: number[]): number {
  const vx = b[0]! - a[0]!, vy = b[1]! - a[1]!;
  const t = Math.max(0, Math.min(1, ((x - a[0]!) * vx + (y - a[1]!) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - a[0]! - t * vx, y - a[1]! - t * vy);
}
