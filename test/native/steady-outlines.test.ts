import { from, lastValueFrom, map, toArray } from 'rxjs';
import { maskIoU } from '../../src/eval/mask-iou';
import { makeFrame, withPixels, type Frame } from '../../src/pipeline/frame';
import { steadyOutlines } from '../../src/stages/steady-outlines';

const SIDE = 96;

/** A textured scene with a dark square whose left edge is at `left`. */
function scene(index: number, left: number): Frame {
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = x >= left && x < left + 40 && y >= 28 && y < 68;
      const v = inside ? 40 + ((x - left) * 3 + y * 2) % 50 : Math.min(255, 120 + ((x * 7 + y * 13) % 90));
      data.set([v, inside ? v : 255 - v, v], (y * SIDE + x) * 3);
    }
  }
  return makeFrame(index, index / 10, SIDE, SIDE, data);
}

/** The square's true alpha, its right edge moved by `wobble` px. */
function squareAlpha(left: number, wobble: number): Uint8Array {
  const alpha = new Uint8Array(SIDE * SIDE);
  for (let y = 28; y < 68; y++) for (let x = left; x < Math.min(SIDE, left + 40 + wobble); x++) alpha[y * SIDE + x] = 255;
  return alpha;
}

/** A stand-in for the generator: composites the input over white through the alpha `alphaOf` gives. */
const paint = (alphaOf: (frame: Frame) => Uint8Array | undefined) =>
  map((frame: Frame) => {
    const alpha = alphaOf(frame);
    if (alpha === undefined) return withPixels(frame, frame.data, SIDE, SIDE, { alpha: undefined });
    const rgb = new Uint8Array(frame.data.length);
    for (let p = 0; p < alpha.length; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round((alpha[p]! / 255) * frame.data[p * 3 + c]! + (1 - alpha[p]! / 255) * 255);
    return withPixels(frame, rgb, SIDE, SIDE, { alpha });
  });

function change(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += Math.abs(a[i]! - b[i]!);
  return n / 255;
}


const run = (frames: Frame[], inner: ReturnType<typeof paint>, options = {}) => lastValueFrom(from(frames).pipe(steadyOutlines(inner, options), toArray()));

describe('steadyOutlines', () => {
  it('holds an outline that wobbles while the picture stands still', async () => {
    const frames = Array.from({ length: 8 }, (_, i) => scene(i, 30));
    const wobbly = paint((f) => squareAlpha(30, f.index % 2 === 0 ? 0 : 4));
    const plain = await lastValueFrom(from(frames).pipe(wobbly, toArray()));
    const steady = await run(frames, wobbly);
    const total = (out: Frame[]) => out.slice(1).reduce((s, f, i) => s + change(f.alpha!, out[i]!.alpha!), 0);
    expect(total(steady)).toBeLessThan(0.6 * total(plain));
    // The composite follows the new alpha: where alpha is 0 the output is white.
    const last = steady[steady.length - 1]!;
    expect(Array.from(last.data.slice(0, 3))).toEqual([255, 255, 255]);
  });

  it('follows an outline that moves with the picture', async () => {
    const frames = Array.from({ length: 8 }, (_, i) => scene(i, 20 + 4 * i));
    const truth = (f: Frame) => squareAlpha(20 + 4 * f.index, 0);
    const steady = await run(frames, paint(truth), { strength: 0.9 });
    for (const frame of steady) expect(maskIoU(frame.alpha!, truth(frame))).toBeGreaterThan(0.95);
  });

  it('carries nothing across a cut, and passes frames without alpha unchanged', async () => {
    const other = (index: number) => {
      const f = scene(index, 60);
      return makeFrame(index, f.timeSec, SIDE, SIDE, f.data.map((v) => v >> 2));
    };
    const frames = [scene(0, 30), scene(1, 30), other(2), other(3)];
    const alphaOf = (f: Frame) => (f.index < 2 ? squareAlpha(30, 0) : squareAlpha(60, -20));
    const steady = await run(frames, paint(alphaOf), { strength: 0.9 });
    expect(steady[2]!.alpha).toEqual(alphaOf(frames[2]!));
    const none = await run(frames, paint(() => undefined));
    expect(none.map((f) => f.alpha)).toEqual([undefined, undefined, undefined, undefined]);
    expect(none[1]!.data).toEqual(frames[1]!.data);
  });

  it('refuses a strength outside 0..0.95', () => {
    expect(() => steadyOutlines(paint(() => undefined), { strength: 1 })).toThrow(/steadyOutlines\.strength/);
  });
});
