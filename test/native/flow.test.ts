import { computeFlow } from '../../src/flow/compute-flow';
import type { Plane } from '../../src/flow/plane';
import { warpPlane } from '../../src/flow/warp-plane';
import { InvalidOptionError } from '../../src/pipeline/errors';

const W = 120;
const H = 100;

/** A smooth texture shifted by (sx, sy): pixel x of the result shows the pattern at x - s. */
function pattern(sx: number, sy: number): Plane {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - sx;
      const v = y - sy;
      data[y * W + x] = Math.round(128 + 60 * Math.sin(u * 0.23) * Math.cos(v * 0.19) + 40 * Math.sin((u + 2 * v) * 0.07));
    }
  }
  return { width: W, height: H, data };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median (dx, dy) over the interior (away from borders, where part of the pattern leaves the frame). */
function interiorMedian(flow: Float32Array): [number, number] {
  const dx: number[] = [];
  const dy: number[] = [];
  for (let y = 20; y < H - 20; y++) {
    for (let x = 20; x < W - 20; x++) {
      dx.push(flow[2 * (y * W + x)]!);
      dy.push(flow[2 * (y * W + x) + 1]!);
    }
  }
  return [median(dx), median(dy)];
}

describe('computeFlow', () => {
  it('recovers the shift of a translated pattern: a pixel of prev lies at x + flow in next', async () => {
    const prev = pattern(0, 0);
    const next = pattern(3, -2);
    const flow = await computeFlow(prev, next);
    expect(flow.width).toBe(W);
    expect(flow.data).toHaveLength(W * H * 2);
    const [dx, dy] = interiorMedian(flow.data);
    expect(dx).toBeCloseTo(3, 0);
    expect(dy).toBeCloseTo(-2, 0);
  });

  it('recovers the shift from half-size frames, in full-size pixels', async () => {
    const flow = await computeFlow(pattern(0, 0), pattern(4, 2), { scale: 0.5 });
    const [dx, dy] = interiorMedian(flow.data);
    expect(Math.abs(dx - 4)).toBeLessThan(0.6);
    expect(Math.abs(dy - 2)).toBeLessThan(0.6);
  });

  it("follows a thin bar at the frames' full resolution with 'fine', where 'medium' (half size) loses it", async () => {
    // A dark bar 4 px wide moves 8 px right over a still, faint texture.
    const frame = (barX: number): Plane => {
      const data = new Uint8Array(W * H);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const bar = x >= barX && x < barX + 4 && y >= 20 && y < 80;
          data[y * W + x] = bar ? 15 : Math.round(128 + 30 * Math.sin(x * 0.23) * Math.cos(y * 0.19) + 20 * Math.sin((x + 2 * y) * 0.07));
        }
      return { width: W, height: H, data };
    };
    const barError = async (preset: 'medium' | 'fine') => {
      const flow = await computeFlow(frame(50), frame(58), { preset });
      let sum = 0;
      let count = 0;
      for (let y = 25; y < 75; y++) for (let x = 50; x < 54; x++, count++) sum += Math.abs(flow.data[2 * (y * W + x)]! - 8);
      return sum / count;
    };
    // Measured: 'fine' 0.10 px, 'medium' 2.14 px.
    expect(await barError('fine')).toBeLessThan(0.5);
    expect(await barError('medium')).toBeGreaterThan(1);
  });

  it('rejects frames of different sizes with the sizes and the fix', async () => {
    const other: Plane = { width: 60, height: 50, data: new Uint8Array(3000) };
    await expect(computeFlow(pattern(0, 0), other)).rejects.toThrow(InvalidOptionError);
    await expect(computeFlow(pattern(0, 0), other)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'Expected computeFlow to get planes of one size but received 120x100 and 60x50; decode both with the same crop.',
    });
  });

  it('rejects an unknown preset', async () => {
    await expect(computeFlow(pattern(0, 0), pattern(0, 0), { preset: 'slow' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: "Expected one of 'ultrafast', 'fast', 'medium', 'fine' for flow.preset but received 'slow'",
    });
  });
});

describe('warpPlane', () => {
  it('moves a plane by a constant flow: out(x) = plane(x + flow)', async () => {
    const plane = new Uint8Array(W * H);
    for (let y = 40; y < 60; y++) for (let x = 50; x < 70; x++) plane[y * W + x] = 255;
    const flow = new Float32Array(W * H * 2);
    for (let i = 0; i < W * H; i++) flow[2 * i] = 5;
    const out = await warpPlane({ width: W, height: H, data: plane }, { width: W, height: H, data: flow });
    expect(out.data[50 * W + 45]).toBe(255);
    expect(out.data[50 * W + 64]).toBe(255);
    expect(out.data[50 * W + 65]).toBe(0);
    expect(out.data[50 * W + 44]).toBe(0);
  });

  it("carries next's pattern back onto prev with computeFlow(prev, next)", async () => {
    const prev = pattern(0, 0);
    const next = pattern(3, -2);
    const back = await warpPlane(next, await computeFlow(prev, next));
    let sum = 0;
    let n = 0;
    for (let y = 10; y < H - 10; y++) {
      for (let x = 10; x < W - 10; x++) {
        sum += Math.abs(back.data[y * W + x]! - prev.data[y * W + x]!);
        n++;
      }
    }
    expect(sum / n).toBeLessThan(3);
  });

  it('rejects a flow of the wrong length', async () => {
    await expect(warpPlane(pattern(0, 0), { width: W, height: H, data: new Float32Array(10) })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'Expected 24000 floats (120x100x2) for warpPlane flow but received 10.',
    });
  });
});
