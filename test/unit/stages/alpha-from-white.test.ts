import { lastValueFrom, of } from 'rxjs';
import { InvalidOptionError } from '../../../src/pipeline/errors';
import { makeFrame } from '../../../src/pipeline/frame';
import { alphaFromWhite, whiteDistanceAlpha } from '../../../src/stages/alpha-from-white';

describe('whiteDistanceAlpha', () => {
  it('is 0 within the tolerance of white, 255 from twice it, linear between', () => {
    const rgb = new Uint8Array([255, 255, 255, 240, 250, 255, 255, 219, 255, 0, 0, 0, 255, 255, 207]);
    expect([...whiteDistanceAlpha(rgb, 24)]).toEqual([0, 0, Math.round((12 / 24) * 255), 255, 255]);
  });
});

describe('alphaFromWhite', () => {
  it('attaches the derived alpha to each frame, keeping its pixels', async () => {
    const frame = makeFrame(0, 0, 2, 1, new Uint8Array([255, 255, 255, 10, 20, 30]));
    const out = await lastValueFrom(of(frame).pipe(alphaFromWhite()));
    expect([...out.alpha!]).toEqual([0, 255]);
    expect(out.data).toBe(frame.data);
  });

  it('refuses a tolerance outside 0 … 127', () => {
    expect(() => alphaFromWhite({ tolerance: 200 })).toThrow(InvalidOptionError);
    expect(() => alphaFromWhite({ tolerance: 200 })).toThrow('Expected integer between 0 and 127 for alphaFromWhite.tolerance but received 200');
  });
});
