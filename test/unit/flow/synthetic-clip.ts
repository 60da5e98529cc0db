import { Observable } from 'rxjs';
import { makeFrame, type Frame } from '../../../src/pipeline/frame';
import type { FrameBudget } from '../../../src/pipeline/frame-budget';

/** A frame of a synthetic clip and the true mask of its disc (0/255). */
export interface ClipFrame {
  frame: Frame;
  mask: Uint8Array;
}

/** A textured background (two shots: `shot` 1 looks nothing like shot 0). */
function background(x: number, y: number, shot: number): number {
  return shot === 0
    ? 110 + 50 * Math.sin(x * 0.31) * Math.cos(y * 0.23) + 30 * Math.sin((x + 2 * y) * 0.11)
    : 200 - 60 * Math.abs(Math.sin(x * 0.5 + y * 0.07)) - 40 * Math.cos(y * 0.41);
}

/**
 * A `size` x `size` clip of a textured disc (radius `radius`) moving `speed` px a frame to the right
 * over a textured background; from frame `cutAt` on, another shot (other background, disc elsewhere).
 */
export function movingDiscClip(options: { frames: number; size?: number; radius?: number; speed?: number; cutAt?: number }): ClipFrame[] {
  const size = options.size ?? 160;
  const radius = options.radius ?? 30;
  const speed = options.speed ?? 2;
  const out: ClipFrame[] = [];
  for (let t = 0; t < options.frames; t++) {
    const shot = options.cutAt !== undefined && t >= options.cutAt ? 1 : 0;
    const cx = shot === 0 ? radius + 6 + speed * t : size - radius - 10;
    const cy = shot === 0 ? size / 2 : size / 3;
    const rgb = new Uint8Array(size * size * 3);
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x - cx;
        const dy = y - cy;
        const inside = dx * dx + dy * dy <= radius * radius;
        // The disc carries its own texture, moving with it, so the flow has something to follow.
        const v = inside ? 40 + 25 * Math.sin(dx * 0.6) * Math.cos(dy * 0.5) : background(x, y, shot);
        const i = y * size + x;
        rgb[3 * i] = v;
        rgb[3 * i + 1] = inside ? v * 0.5 : v;
        rgb[3 * i + 2] = inside ? 30 : v;
        mask[i] = inside ? 255 : 0;
      }
    }
    out.push({ frame: makeFrame(t, t / 10, size, size, rgb), mask });
  }
  return out;
}

/**
 * A second pass over `frames` that honours a FrameBudget as decodeVideo does (take on emit, wait
 * while exhausted), and records the most frames it had in flight.
 */
export function budgetedPass(frames: Frame[], seen: { maxInFlight: number }): (budget: FrameBudget) => Observable<Frame> {
  return (budget) =>
    new Observable<Frame>((subscriber) => {
      let next = 0;
      let closed = false;
      const pump = () => {
        while (!closed && next < frames.length && !budget.exhausted) {
          budget.take(next);
          seen.maxInFlight = Math.max(seen.maxInFlight, budget.inFlight);
          subscriber.next(frames[next++]!);
        }
        if (!closed && next === frames.length) {
          closed = true;
          subscriber.complete();
        }
      };
      const stop = budget.onAvailable(() => setImmediate(pump));
      setImmediate(pump);
      return () => {
        closed = true;
        stop();
      };
    });
}
