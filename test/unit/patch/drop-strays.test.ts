import { lastValueFrom, of } from 'rxjs';
import { FLOW_ALPHA_GUIDE } from '../../../src/flow/propagate-alpha';
import { makeFrame, type Frame } from '../../../src/pipeline/frame';
import { chooseStrayMode, dropStrays, flowMissShare, strayPixels, STRAY_FLOW_BELOW, TRUSTED_FLOW_MISS } from '../../../src/patch/drop-strays';

const W = 40, H = 30;

/** A composite-head output: a 16x20 subject at the left, a 6x6 remnant at the right, both over white; soft alpha 64 one pixel around the remnant. */
function output(flowAlpha: (x: number, y: number) => number, guides = true): Frame {
  const alpha = new Uint8Array(W * H);
  const rgb = new Uint8Array(W * H * 3).fill(255);
  const flow = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const subject = x >= 2 && x < 18 && y >= 5 && y < 25;
      const remnant = x >= 30 && x < 36 && y >= 10 && y < 16;
      const fringe = !remnant && x >= 29 && x < 37 && y >= 9 && y < 17;
      alpha[p] = subject || remnant ? 255 : fringe ? 64 : 0;
      if (alpha[p]) rgb.fill(subject ? 40 : 90, p * 3, p * 3 + 3);
      flow[p] = flowAlpha(x, y);
    }
  }
  return makeFrame(7, 0.7, W, H, rgb, guides ? { alpha, guides: { [FLOW_ALPHA_GUIDE]: flow } } : { alpha });
}

const at = (frame: Frame, x: number, y: number) => ({ alpha: frame.alpha![y * W + x], rgb: [...frame.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)] });
const run = async (frame: Frame, options = {}) => lastValueFrom(of(frame).pipe(dropStrays(options)));
/** The edits carried: the subject kept (255), everything else erased (0). */
const carriedSubject = (x: number) => (x < 20 ? 255 : 0);

describe('dropStrays', () => {
  it('drops a region apart from the subject where the carried edits say background, with its soft fringe', async () => {
    const out = await run(output(carriedSubject));
    expect(at(out, 32, 12)).toEqual({ alpha: 0, rgb: [255, 255, 255] });
    expect(at(out, 29, 9)).toEqual({ alpha: 0, rgb: [255, 255, 255] });
    expect(at(out, 10, 10)).toEqual({ alpha: 255, rgb: [40, 40, 40] });
    expect(out.index).toBe(7);
    expect(out.guides?.[FLOW_ALPHA_GUIDE]).toBeDefined();
  });

  it('keeps a region the carried edits keep (an object beside the person) and the largest region whatever the guide says', async () => {
    const kept = await run(output(() => 255));
    expect(at(kept, 32, 12).alpha).toBe(255);
    const everywhereBackground = await run(output(() => 0));
    expect(at(everywhereBackground, 10, 10).alpha).toBe(255);
    expect(at(everywhereBackground, 32, 12).alpha).toBe(0);
  });

  it('keeps a region where the guide is unsure: no edits carried (128), or the picture there did not match what they carried (pulled to 64)', async () => {
    for (const unsure of [128, 64]) {
      const frame = output((x) => (x < 20 ? 255 : unsure));
      expect(await run(frame)).toBe(frame);
    }
    expect(strayPixels(output(() => 128).alpha!, new Uint8Array(W * H).fill(128), W, H)).toBeUndefined();
  });

  it('decides by the guide averaged over the region, at the threshold given', async () => {
    // Half the remnant at 0, half at 100: mean 50, just under the default 51.
    const split = (x: number) => (x < 20 ? 255 : x < 33 ? 0 : 100);
    expect(at(await run(output(split)), 32, 12).alpha).toBe(0);
    expect(at(await run(output(split), { below: 50 }), 32, 12).alpha).toBe(255);
    expect(STRAY_FLOW_BELOW).toBe(51);
  });

  it('leaves soft alpha near the subject alone', () => {
    const frame = output(carriedSubject);
    const alpha = frame.alpha!.slice();
    // Soft alpha between the two regions, 3 px from the subject and 6 from the remnant's core.
    alpha[12 * W + 20] = 64;
    const strays = strayPixels(alpha, frame.guides![FLOW_ALPHA_GUIDE]!, W, H)!;
    expect(strays[12 * W + 20]).toBe(0);
    expect(strays[12 * W + 32]).toBe(255);
  });

  it('passes frames without an alpha or without the flow guide unchanged', async () => {
    const noGuide = output(carriedSubject, false);
    expect(await run(noGuide)).toBe(noGuide);
    const rgbOnly = makeFrame(1, 0.1, W, H, new Uint8Array(W * H * 3), { guides: { [FLOW_ALPHA_GUIDE]: new Uint8Array(W * H) } });
    expect(await run(rgbOnly)).toBe(rgbOnly);
  });

  it('rejects a threshold outside 0 … 255', () => {
    expect(() => dropStrays({ below: 300 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: 'Expected integer between 0 and 255 for dropStrays.below but received 300' }));
  });

  it('with pixels, also clears every pixel the carried edits call background, unless the generator holds it firmly or it lies within 2 px of what they keep', async () => {
    // The guide keeps the subject but its right four columns (x 14 … 17) and everything beyond.
    const guide = (x: number) => (x < 14 ? 255 : 0);
    const regions = await run(output(guide));
    expect(at(regions, 17, 10).alpha).toBe(255);
    // Firm alpha (255) stays: where an erased intruder crosses the subject the flow carries 0 over it.
    expect(at(await run(output(guide), { pixels: true }), 17, 10).alpha).toBe(255);
    // Soft alpha (250 or less) there goes, but not within 2 px of the carried subject (x 13).
    const soft = output(guide);
    const alpha = soft.alpha!.slice();
    for (let y = 5; y < 25; y++) alpha[y * W + 17] = alpha[y * W + 15] = 250;
    alpha[5 * W + 17] = 251;
    const pixels = await run(makeFrame(7, 0.7, W, H, soft.data, { alpha, guides: soft.guides! }), { pixels: true });
    expect(at(pixels, 17, 10)).toEqual({ alpha: 0, rgb: [255, 255, 255] });
    expect(at(pixels, 17, 5).alpha).toBe(251);
    expect(at(pixels, 15, 10)).toEqual({ alpha: 250, rgb: [40, 40, 40] });
    expect(at(pixels, 10, 10)).toEqual({ alpha: 255, rgb: [40, 40, 40] });
    expect(at(pixels, 32, 12).alpha).toBe(0);
    // Unsure guide (doubted toward 128) keeps a soft pixel too.
    const unsure = output((x) => (x < 14 ? 255 : 64));
    expect(at(await run(makeFrame(7, 0.7, W, H, unsure.data, { alpha, guides: unsure.guides! }), { pixels: true }), 17, 10).alpha).toBe(250);
    expect(() => dropStrays({ pixels: 'yes' as unknown as boolean })).toThrow('Expected true or false for dropStrays.pixels');
  });
});

describe('flowMissShare', () => {
  const kept = Uint8Array.from([255, 255, 255, 255, 0, 0]);
  it('averages, over the picks, the share of kept pixels the guide calls background', () => {
    const half = { kept, flowAlpha: Uint8Array.from([0, 50, 51, 255, 0, 0]) };
    const none = { kept, flowAlpha: Uint8Array.from([200, 200, 200, 200, 0, 0]) };
    expect(flowMissShare([half])).toBe(0.5);
    expect(flowMissShare([half, none])).toBe(0.25);
    expect(TRUSTED_FLOW_MISS).toBe(0.1);
    expect(chooseStrayMode(0.1)).toBe('pixels');
    expect(chooseStrayMode(0.11)).toBe('regions');
    expect(chooseStrayMode(undefined)).toBe('regions');
  });

  it('is undefined when no pick got a guide that carries anything (one pick, or each alone in its shot)', () => {
    const nothing = { kept, flowAlpha: new Uint8Array(6).fill(128) };
    expect(flowMissShare([nothing])).toBeUndefined();
    expect(flowMissShare([])).toBeUndefined();
    expect(flowMissShare([nothing, { kept, flowAlpha: new Uint8Array(6) }])).toBe(1);
  });
});
