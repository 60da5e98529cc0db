import { AlphaPropagator, type PropagatedAlpha } from '../../../src/flow/alpha-propagator';
import { NO_DATA_ALPHA } from '../../../src/flow/blend-by-distance';
import { greyPlane } from '../../../src/flow/grey-plane';
import { maskIoU } from '../../../src/eval/mask-iou';
import { movingDiscClip, type ClipFrame } from './synthetic-clip';

async function propagate(
  clip: ClipFrame[],
  pickAt: number[],
  maxHeldFrames?: number,
  direct?: boolean,
  doubt?: boolean,
): Promise<{ frames: PropagatedAlpha[]; leaveOneOut: PropagatedAlpha[]; peak: number; heldAtEnd: number }> {
  const { width, height } = clip[0]!.frame;
  const picks = new Map(pickAt.map((i) => [i, clip[i]!.mask]));
  const propagator = new AlphaPropagator({ width, height, picks, maxHeldFrames, direct, doubt });
  const frames: PropagatedAlpha[] = [];
  const leaveOneOut: PropagatedAlpha[] = [];
  let peak = 0;
  for (const { frame } of clip) {
    const out = await propagator.push(frame.index, greyPlane(frame.data, width, height));
    frames.push(...out.frames);
    leaveOneOut.push(...out.leaveOneOut);
    peak = Math.max(peak, propagator.heldFrames);
  }
  const heldAtEnd = propagator.heldFrames;
  const rest = await propagator.finish();
  frames.push(...rest.frames);
  leaveOneOut.push(...rest.leaveOneOut);
  expect(peak).toBe(propagator.peakHeldFrames);
  return { frames, leaveOneOut, peak, heldAtEnd };
}

describe('AlphaPropagator', () => {
  it('carries two picks to the frames between them with high IoU, blending both', async () => {
    const clip = movingDiscClip({ frames: 11 });
    const { frames } = await propagate(clip, [0, 10]);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(frames.map((f) => f.source)).toEqual(['pick', ...Array(9).fill('both'), 'pick']);
    for (const f of frames.slice(1, 10)) expect(maskIoU(f.alpha, clip[f.index]!.mask)).toBeGreaterThan(0.9);
  });

  it('pulls a carried alpha toward 128 where its carried picture mismatches the frame, never across, and not with doubt: false', async () => {
    const clip = movingDiscClip({ frames: 11, speed: 4 });
    const doubted = (await propagate(clip, [0, 10])).frames;
    const plain = (await propagate(clip, [0, 10], undefined, undefined, false)).frames;
    let pulled = 0;
    let crossed = 0;
    let pushed = 0;
    for (let k = 0; k < doubted.length; k++) {
      const a = doubted[k]!.alpha;
      const b = plain[k]!.alpha;
      for (let i = 0; i < a.length; i++) {
        if (a[i]! >= 128 !== b[i]! >= 128) crossed++;
        if (Math.abs(a[i]! - 128) > Math.abs(b[i]! - 128)) pushed++;
        if (Math.abs(a[i]! - 128) < Math.abs(b[i]! - 128) - 8) pulled++;
      }
    }
    expect([crossed, pushed]).toEqual([0, 0]);
    // The picks are their edits, untouched; between them the disc's moving outline is doubted somewhere.
    expect(doubted[0]!.alpha).toEqual(plain[0]!.alpha);
    expect(pulled).toBeGreaterThan(0);
  });

  it("gives each pick the alpha propagated from the other picks, not its own edit", async () => {
    const clip = movingDiscClip({ frames: 17 });
    const { leaveOneOut } = await propagate(clip, [0, 8, 16]);
    expect(leaveOneOut.map((f) => [f.index, f.source])).toEqual([
      [0, 'backward'],
      [8, 'both'],
      [16, 'forward'],
    ]);
    for (const f of leaveOneOut) expect(f.alpha).not.toBe(clip[f.index]!.mask);
    // Carried 8 frames from one side (the end picks) or blended from both (the middle one).
    expect(leaveOneOut.map((f) => maskIoU(f.alpha, clip[f.index]!.mask) > (f.source === 'both' ? 0.9 : 0.75))).toEqual([true, true, true]);
  });

  it('stops at a hard cut: frames after it with no pick on their side get no data', async () => {
    const clip = movingDiscClip({ frames: 12, cutAt: 6 });
    const { frames } = await propagate(clip, [0]);
    expect(frames.map((f) => f.source)).toEqual(['pick', ...Array(5).fill('forward'), ...Array(6).fill('none')]);
    expect(frames.map((f) => f.cutBefore)).toEqual([false, false, false, false, false, false, true, false, false, false, false, false]);
    expect(frames[6]!.alpha.every((v) => v === NO_DATA_ALPHA)).toBe(true);
    expect(maskIoU(frames[5]!.alpha, clip[5]!.mask)).toBeGreaterThan(0.9);
  });

  it('does not carry a pick backward across a cut', async () => {
    const clip = movingDiscClip({ frames: 12, cutAt: 6 });
    const { frames } = await propagate(clip, [0, 11]);
    expect(frames.map((f) => f.source)).toEqual(['pick', ...Array(5).fill('forward'), ...Array(5).fill('backward'), 'pick']);
    expect(maskIoU(frames[7]!.alpha, clip[7]!.mask)).toBeGreaterThan(0.9);
  });

  it('holds at most maxHeldFrames frames; frames farther from the next pick get the forward alpha alone', async () => {
    const clip = movingDiscClip({ frames: 31, speed: 1 });
    const { frames, peak } = await propagate(clip, [0, 30], 6);
    expect(peak).toBe(6);
    expect(frames.map((f) => f.index)).toEqual(clip.map((c) => c.frame.index));
    expect(frames.slice(1, 24).every((f) => f.source === 'forward')).toBe(true);
    expect(frames.slice(24, 30).every((f) => f.source === 'both')).toBe(true);
  });

  it('holds nothing when no pick lies ahead', async () => {
    const clip = movingDiscClip({ frames: 8 });
    const { peak, heldAtEnd } = await propagate(clip, [0]);
    expect(peak).toBe(0);
    expect(heldAtEnd).toBe(0);
  });

  it('with direct, judges the chain against one flow straight from the pick and drifts less', async () => {
    const clip = movingDiscClip({ frames: 11 });
    const chained = await propagate(clip, [0]);
    const direct = await propagate(clip, [0], undefined, true);
    const iou = (frames: PropagatedAlpha[]) => maskIoU(frames[10]!.alpha, clip[10]!.mask);
    expect(direct.frames.map((f) => f.source)).toEqual(['pick', ...Array(10).fill('forward')]);
    expect(iou(direct.frames)).toBeGreaterThan(iou(chained.frames) + 0.03);
    expect(iou(direct.frames)).toBeGreaterThan(0.85);
  });

  it('carries each pick\'s veto along the same flows as its alpha (leave-one-out too), 0 where no pick reaches', async () => {
    // The veto here is the disc itself (as if the edit had erased a person the prior marks).
    const clip = movingDiscClip({ frames: 14, cutAt: 11 });
    const { width, height } = clip[0]!.frame;
    const picks = new Map([0, 10].map((i) => [i, new Uint8Array(width * height)]));
    const vetoes = new Map([0, 10].map((i) => [i, clip[i]!.mask]));
    const propagator = new AlphaPropagator({ width, height, picks, vetoes });
    const frames: PropagatedAlpha[] = [];
    const leaveOneOut: PropagatedAlpha[] = [];
    for (const { frame } of clip) {
      const out = await propagator.push(frame.index, greyPlane(frame.data, width, height));
      frames.push(...out.frames);
      leaveOneOut.push(...out.leaveOneOut);
    }
    frames.push(...(await propagator.finish()).frames);
    expect(frames[0]!.veto).toBe(vetoes.get(0));
    for (const f of frames.slice(1, 10)) expect(maskIoU(f.veto!, clip[f.index]!.mask)).toBeGreaterThan(0.9);
    // The alpha (all background) travelled the same way and stayed background (doubted at most half way to 128).
    for (const f of frames.slice(1, 10)) expect(f.alpha.every((v) => v <= 64)).toBe(true);
    expect(leaveOneOut.map((f) => maskIoU(f.veto!, clip[f.index]!.mask) > 0.75)).toEqual([true, true]);
    // Vetoes are never doubted: the same to the byte without the doubt (a veto pulled to 128 would halve the prior).
    const plain = new AlphaPropagator({ width, height, picks, vetoes, doubt: false });
    const plainFrames: PropagatedAlpha[] = [];
    for (const { frame } of clip) plainFrames.push(...(await plain.push(frame.index, greyPlane(frame.data, width, height))).frames);
    plainFrames.push(...(await plain.finish()).frames);
    expect(frames.map((f) => f.veto)).toEqual(plainFrames.map((f) => f.veto));
    // After the cut no pick reaches: no veto.
    expect(frames[12]!.source).toBe('none');
    expect(frames[12]!.veto!.every((v) => v === 0)).toBe(true);
  });

  it('reports no veto when the picks carry none', async () => {
    const clip = movingDiscClip({ frames: 3 });
    const { frames } = await propagate(clip, [0]);
    expect(frames.every((f) => f.veto === undefined)).toBe(true);
  });

  it('rejects a missing or mis-sized veto, saying which pick', () => {
    const picks = new Map([[4, new Uint8Array(100)]]);
    expect(() => new AlphaPropagator({ width: 10, height: 10, picks, vetoes: new Map([[4, new Uint8Array(99)]]) })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^Expected 100 bytes \(10x10\) for the veto of pick 4 but received 99;/) }),
    );
    expect(() => new AlphaPropagator({ width: 10, height: 10, picks, vetoes: new Map() })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: 'Expected a veto for every pick but pick 4 has none; give vetoes for all picks or for none.' }),
    );
  });

  it('gives the same alphas when frames are announced ahead (their flows computed early) as when they are not', async () => {
    const clip = movingDiscClip({ frames: 12, cutAt: 8 });
    const { width, height } = clip[0]!.frame;
    const picks = new Map([0, 6, 11].map((i) => [i, clip[i]!.mask]));
    const run = async (announce: 'none' | 'all' | 'wrong') => {
      const propagator = new AlphaPropagator({ width, height, picks });
      const greys = clip.map(({ frame }) => greyPlane(frame.data, width, height));
      // 'wrong' announces other planes than it pushes: those flows must not be used.
      if (announce !== 'none') greys.forEach((g, i) => propagator.ahead(i, announce === 'all' ? g : greyPlane(clip[0]!.frame.data, width, height)));
      const out: PropagatedAlpha[] = [];
      for (const [i, g] of greys.entries()) out.push(...(await propagator.push(i, g)).frames);
      out.push(...(await propagator.finish()).frames);
      return out.map((f) => [f.index, f.source, f.cutBefore, Buffer.from(f.alpha).toString('base64')]);
    };
    const plain = await run('none');
    expect(await run('all')).toEqual(plain);
    expect(await run('wrong')).toEqual(plain);
  });

  it('rejects a pick alpha of another size, saying which pick and the fix', () => {
    expect(() => new AlphaPropagator({ width: 10, height: 10, picks: new Map([[4, new Uint8Array(50)]]) })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: 'Expected 100 bytes (10x10) for the alpha of pick 4 but received 50; make the pick masks at the size the frames are decoded at.',
      }),
    );
  });

  it('rejects a switch that is not true or false, naming it', () => {
    const picks = new Map([[4, new Uint8Array(100)]]);
    const bad = { width: 10, height: 10, picks, doubt: 'no' } as unknown as ConstructorParameters<typeof AlphaPropagator>[0];
    expect(() => new AlphaPropagator(bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: "Expected true or false for doubt but received 'no'" }),
    );
    const direct = { width: 10, height: 10, picks, direct: 1 } as unknown as ConstructorParameters<typeof AlphaPropagator>[0];
    expect(() => new AlphaPropagator(direct)).toThrow('Expected true or false for direct but received 1');
    expect(() => new AlphaPropagator({ width: 10, height: 10, picks, doubt: false, direct: true })).not.toThrow();
  });

  it('rejects a frame out of sequence', async () => {
    const clip = movingDiscClip({ frames: 3 });
    const propagator = new AlphaPropagator({ width: 160, height: 160, picks: new Map() });
    await propagator.push(0, greyPlane(clip[0]!.frame.data, 160, 160));
    await expect(propagator.push(2, greyPlane(clip[2]!.frame.data, 160, 160))).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'Expected frame 1 next in AlphaPropagator but received frame 2; push every frame in order.',
    });
  });
});
