import { lastValueFrom, of, toArray } from 'rxjs';
import { makeFrame } from '../../../src/pipeline/frame';
import { snapAlpha } from '../../../src/stages/snap-alpha';

describe('snapAlpha', () => {
  // Four pixels of foreground colour (40, 80, 120) composited over white at alpha 0.05, 0.5, 0.95 and 1.
  const alphas = [0.05, 0.5, 0.95, 1];
  const rgb = new Uint8Array(alphas.flatMap((a) => [40, 80, 120].map((fg) => Math.round(a * fg + (1 - a) * 255))));
  const alpha = new Uint8Array(alphas.map((a) => Math.round(a * 255)));

  it('takes faint alpha to white, strong alpha to the foreground, and keeps soft edges', async () => {
    const [out] = await lastValueFrom(of(makeFrame(0, 0, 4, 1, rgb, { alpha })).pipe(snapAlpha({ low: 0.15, high: 0.85 }), toArray()));
    expect([...out!.alpha!]).toEqual([0, 128, 255, 255]);
    expect([...out!.data.subarray(0, 3)]).toEqual([255, 255, 255]);
    expect([...out!.data.subarray(6, 9)]).toEqual([40, 80, 120]);
    expect(out!.data[3]).toBeGreaterThan(40);
    expect(out!.data[3]).toBeLessThan(255);
  });

  it('passes frames without alpha unchanged and refuses low >= high', async () => {
    const frame = makeFrame(0, 0, 4, 1, rgb);
    const [out] = await lastValueFrom(of(frame).pipe(snapAlpha(), toArray()));
    expect(out).toBe(frame);
    expect(() => snapAlpha({ low: 0.6, high: 0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
