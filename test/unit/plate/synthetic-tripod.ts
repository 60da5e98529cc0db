import type { Observable } from 'rxjs';
import { makeFrame, type Frame } from '../../../src/pipeline/frame';
import type { FrameBudget } from '../../../src/pipeline/frame-budget';
import { budgetedPass } from '../flow/synthetic-clip';

/** A textured colour background, `shift` pixels to the left of the origin (a pan moves it). */
export function backgroundAt(x: number, y: number, shift: number): [number, number, number] {
  const u = x + shift;
  const v = 110 + 50 * Math.sin(u * 0.31) * Math.cos(y * 0.23) + 30 * Math.sin((u + 2 * y) * 0.11);
  return [v, 200 - v * 0.5, 60 + 40 * Math.cos(u * 0.17 + y * 0.05)];
}

/** A frame of a synthetic clip and the true mask of its disc (0/255). */
export interface TripodFrame {
  frame: Frame;
  mask: Uint8Array;
  background: Uint8Array;
}

/**
 * A `size` x `size` clip of a dark disc swaying left and right in front of a textured background,
 * which stays put (`pan` 0, a tripod) or moves `pan` px a frame (a panning camera).
 */
export function tripodClip(options: { frames: number; size?: number; radius?: number; pan?: number; sway?: number }): TripodFrame[] {
  const size = options.size ?? 96;
  const radius = options.radius ?? 12;
  const sway = options.sway ?? 30;
  const out: TripodFrame[] = [];
  for (let t = 0; t < options.frames; t++) {
    const cx = size / 2 + sway * Math.sin((2 * Math.PI * t) / options.frames);
    const cy = size / 2;
    const rgb = new Uint8Array(size * size * 3);
    const background = new Uint8Array(size * size * 3);
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        const bg = backgroundAt(x, y, (options.pan ?? 0) * t);
        const inside = (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
        for (let c = 0; c < 3; c++) {
          background[3 * i + c] = bg[c]!;
          rgb[3 * i + c] = inside ? [30, 20 + 10 * Math.sin(x), 90][c]! : bg[c]!;
        }
        mask[i] = inside ? 255 : 0;
      }
    }
    out.push({ frame: makeFrame(t, t / 10, size, size, rgb), mask, background });
  }
  return out;
}

/** A pass over `frames` that honours a FrameBudget as decodeVideo does (take on emit, wait while exhausted). */
export function pass(frames: Frame[]): (budget: FrameBudget) => Observable<Frame> {
  return budgetedPass(frames, { maxInFlight: 0 });
}
