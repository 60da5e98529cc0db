import { estimatePlate, plateFor } from '../../../src/plate/estimate-plate';
import { plateDifference } from '../../../src/plate/plate-difference';
import { sampleFrames } from '../../../src/plate/sample-frames';
import { pass, tripodClip } from './synthetic-tripod';

/** Mean absolute difference of two byte arrays over the pixels where `where` holds. */
function meanDiff(a: Uint8Array, b: Uint8Array, where: (p: number) => boolean): number {
  let sum = 0, n = 0;
  for (let p = 0; p < a.length / 3; p++) {
    if (!where(p)) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(a[3 * p + c]! - b[3 * p + c]!);
    n += 3;
  }
  return sum / n;
}

describe('sampleFrames', () => {
  it('keeps frames spread over the whole pass, at most maxSamples, and the frames asked for', async () => {
    const clip = tripodClip({ frames: 50, size: 16, radius: 3, sway: 4 });
    const sampled = await sampleFrames({ frames: pass(clip.map((c) => c.frame)), maxSamples: 8, keep: new Set([7, 33]) });
    expect(sampled.stride).toBe(8);
    expect(sampled.samples.map((f) => f.index)).toEqual([0, 8, 16, 24, 32, 40, 48]);
    expect([...sampled.kept.keys()]).toEqual([7, 33]);
    expect(sampled.frameCount).toBe(50);
  });
});

describe('estimatePlate', () => {
  it('recovers the background of a still camera and reports it static', async () => {
    const clip = tripodClip({ frames: 30 });
    const estimate = await estimatePlate({ frames: pass(clip.map((c) => c.frame)) });
    expect(estimate.motion.static).toBe(true);
    expect(estimate.motion.medianShiftPx).toBeLessThan(0.5);
    const plate = plateFor(estimate)!;
    expect(meanDiff(plate.rgb, clip[0]!.background, () => true)).toBeLessThan(1);
    const confident = plate.confidence.filter((c) => c >= 200).length / plate.confidence.length;
    expect(confident).toBeGreaterThan(0.9);
  });

  it('reports a panning camera as not static, and then offers no plate (128 everywhere)', async () => {
    const clip = tripodClip({ frames: 30, pan: 2 });
    const estimate = await estimatePlate({ frames: pass(clip.map((c) => c.frame)) });
    expect(estimate.motion.static).toBe(false);
    expect(estimate.motion.medianShiftPx).toBeGreaterThan(1);
    expect(plateFor(estimate)).toBeUndefined();
    expect(new Set(plateDifference(clip[5]!.frame.data, plateFor(estimate)))).toEqual(new Set([128]));
  });

  it('reports a slow pan (a third of a pixel a frame) as not static: its samples drift from the plate', async () => {
    const clip = tripodClip({ frames: 30, pan: 0.33 });
    const estimate = await estimatePlate({ frames: pass(clip.map((c) => c.frame)) });
    expect(estimate.motion.static).toBe(false);
    expect(estimate.motion.driftPx).toBeGreaterThan(2);
  });

  it('gives no information where the person never leaves and the edits keep it', async () => {
    // A disc that barely moves: the median is the disc; an edit saying "subject" there turns the plate off.
    const clip = tripodClip({ frames: 20, sway: 1 });
    const frames = clip.map((c) => c.frame);
    const centre = 48 * 96 + 48;
    const blind = plateFor(await estimatePlate({ frames: pass(frames) }))!;
    expect(plateDifference(clip[3]!.frame.data, blind)[centre]).toBeLessThan(20);
    const edited = plateFor(await estimatePlate({ frames: pass(frames), edits: new Map([[10, clip[10]!.mask]]) }))!;
    expect(edited.confidence[centre]).toBe(0);
    expect(plateDifference(clip[3]!.frame.data, edited)[centre]).toBe(128);
  });
});

describe('plateDifference', () => {
  it('is high inside the person, low on the background, for a frame of a still camera', async () => {
    const clip = tripodClip({ frames: 30 });
    const plate = plateFor(await estimatePlate({ frames: pass(clip.map((c) => c.frame)) }))!;
    const { frame, mask } = clip[7]!;
    const plane = plateDifference(frame.data, plate);
    expect(plane.length).toBe(96 * 96);
    let inside = 0, insideN = 0, outside = 0, outsideN = 0;
    for (let y = 4; y < 92; y++) {
      for (let x = 4; x < 92; x++) {
        // Only pixels 3 px or more from the outline: the 5x5 box blurs the rest.
        const near = [-3, 0, 3].some((dy) => [-3, 0, 3].some((dx) => mask[(y + dy) * 96 + x + dx] !== mask[y * 96 + x]));
        if (near) continue;
        if (mask[y * 96 + x]) (inside += plane[y * 96 + x]!), insideN++;
        else (outside += plane[y * 96 + x]!), outsideN++;
      }
    }
    expect(inside / insideN).toBeGreaterThan(230);
    expect(outside / outsideN).toBeLessThan(25);
  });
});
