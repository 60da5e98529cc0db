import { greyPlane } from '../../../src/flow/grey-plane';
import { roundTrip } from '../../../src/flow/round-trip';
import { maskIoU } from '../../../src/eval/mask-iou';
import { movingDiscClip } from './synthetic-clip';

const grey = (c: { frame: { data: Uint8Array; width: number; height: number } }) => greyPlane(c.frame.data, c.frame.width, c.frame.height);

describe('roundTrip', () => {
  it("carries a frame's planes to another frame of the shot and home again, near where they started", async () => {
    const clip = movingDiscClip({ frames: 8, speed: 3 });
    const trip = (await roundTrip([clip[2]!.mask], grey(clip[2]!), grey(clip[5]!)))!;
    const [alpha] = trip.planes;
    expect(maskIoU(alpha!.map((v) => (v >= 128 ? 255 : 0)), clip[2]!.mask)).toBeGreaterThan(0.85);
    // The grey came home nearly as it left: a small mismatch on most of the frame, a large one somewhere
    // (around the moving disc, where the flow cannot be undone); a trip that goes nowhere matches exactly.
    const small = trip.mismatch.filter((m) => m < 10).length;
    expect(small / trip.mismatch.length).toBeGreaterThan(0.9);
    expect(Math.max(...trip.mismatch)).toBeGreaterThan(25);
    const still = (await roundTrip([clip[2]!.mask], grey(clip[2]!), grey(clip[2]!)))!;
    expect(Math.max(...still.mismatch)).toBe(0);
  });

  it('gives nothing across a hard cut', async () => {
    const clip = movingDiscClip({ frames: 8, cutAt: 4 });
    expect(await roundTrip([clip[2]!.mask], grey(clip[2]!), grey(clip[5]!))).toBeUndefined();
  });

  it('rejects frames of two sizes', async () => {
    const a = movingDiscClip({ frames: 1, size: 80 })[0]!;
    const b = movingDiscClip({ frames: 1, size: 96 })[0]!;
    await expect(roundTrip([a.mask], grey(a), grey(b))).rejects.toThrow(/one size/);
  });
});
