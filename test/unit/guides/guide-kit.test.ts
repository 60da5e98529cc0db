import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, from, lastValueFrom, take, toArray } from 'rxjs';
import { defaultBasePath } from '../../../src/gan/default-base';
import { Pix2Pix } from '../../../src/gan/pix2pix';
import { carriedPicks, DEFAULT_GUIDES, FINE_FLOW_FRAMES, GuideKit, guideDirect, guideFlow, KNOWN_GUIDES, MAX_CARRIED_FRAMES, resolveGuideSpec, SHORT_VIDEO_FRAMES } from '../../../src/guides/guide-kit';
import { PLATE_DIFFERENCE_GUIDE } from '../../../src/plate/plate-difference';
import { decodeVideo } from '../../../src/stages/decode-video';
import { encodeVideo } from '../../../src/stages/encode-video';
import { generate } from '../../../src/stages/generate';
import { tripodClip } from '../plate/synthetic-tripod';
import { collectFrames } from '../../../src/stages/collect-frames';
import { maskIoU } from '../../../src/eval/mask-iou';
import { nonWhiteMask } from '../../../src/eval/non-white-mask';
import { doubtWhereMismatched } from '../../../src/flow/doubt';
import { greyPlane } from '../../../src/flow/grey-plane';
import { roundTrip } from '../../../src/flow/round-trip';

const SIZE = 96;
let dir: string;
let video: string;
const clip = tripodClip({ frames: 30, size: SIZE });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vidgan-guide-kit-'));
  video = join(dir, 'tripod.mp4');
  await lastValueFrom(from(clip.map((c) => c.frame)).pipe(encodeVideo(video, { fps: 10, crf: 12, overwrite: true })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The edit of frame i: the disc kept, the background white. */
function edit(i: number): Uint8Array {
  const { frame, mask } = clip[i]!;
  return frame.data.map((v, j) => (mask[Math.floor(j / 3)] ? v : 255));
}

describe('guideFlow', () => {
  it("gives the shortest videos DIS 'fine', short ones 'medium' and a long one, or one of unknown length, 'fast'", () => {
    expect(guideFlow(60).preset).toBe('fine');
    expect(guideFlow(FINE_FLOW_FRAMES).preset).toBe('fine');
    expect(guideFlow(FINE_FLOW_FRAMES + 1).preset).toBe('medium');
    expect(guideFlow(SHORT_VIDEO_FRAMES).preset).toBe('medium');
    expect(guideFlow(SHORT_VIDEO_FRAMES + 1).preset).toBe('fast');
    expect(guideFlow(1185).preset).toBe('fast');
    expect(guideFlow(undefined).preset).toBe('fast');
  });

  it('warps the picks straight onto the frames too (direct) on short videos only', () => {
    expect(guideDirect(60)).toBe(true);
    expect(guideDirect(SHORT_VIDEO_FRAMES)).toBe(true);
    expect(guideDirect(SHORT_VIDEO_FRAMES + 1)).toBe(false);
    expect(guideDirect(undefined)).toBe(false);
  });
});

describe('carriedPicks', () => {
  const picks = (n: number) => new Map([...Array(n).keys()].map((k) => [10 * k + 5, new Uint8Array(0)]));

  it('carries from every pick while their frames fit, from an even spread beyond, never past the cap', () => {
    expect(carriedPicks(picks(4), 2)).toEqual([5, 15, 25, 35]);
    expect(carriedPicks(picks(4), 0)).toEqual([]);
    expect(carriedPicks(picks(32), 2)).toHaveLength(32);
    for (const [count, d] of [[33, 2], [19, 10], [118, 2], [500, 3], [7, 10]] as const) {
      const kept = carriedPicks(picks(count), d);
      expect(kept.length * 2 * d).toBeLessThanOrEqual(MAX_CARRIED_FRAMES);
      expect(kept.length * 2 * d).toBeGreaterThan(MAX_CARRIED_FRAMES / 3);
      expect(kept[0]).toBe(5);
    }
  });
});

describe('GuideKit with plate-difference', () => {
  it('knows the guide, and keeps the default guides', () => {
    expect(KNOWN_GUIDES).toContain(PLATE_DIFFERENCE_GUIDE);
    expect(DEFAULT_GUIDES.guides).toEqual(['person-prior', 'flow-alpha']);
    expect(resolveGuideSpec({})).toEqual({ guides: ['person-prior', 'flow-alpha'], alphaPriorGuide: 'flow-alpha' });
  });

  it('estimates the plate of tripod footage and gives picks and the stream the difference to it', async () => {
    const kit = await GuideKit.open([PLATE_DIFFERENCE_GUIDE], { video, fps: 10, crop: SIZE, edits: new Map([[10, edit(10)]]) });
    try {
      expect(kit.plate?.motion.static).toBe(true);
      const frames = await firstValueFrom(decodeVideo(video, { fps: 10, crop: SIZE }).pipe(kit.stage(), toArray()));
      expect(frames).toHaveLength(30);
      const centreOf = (i: number) => Math.round(SIZE / 2) * SIZE + Math.round(SIZE / 2 + 30 * Math.sin((2 * Math.PI * i) / 30));
      const corner = 5 * SIZE + 5;
      // Frames whose disc is away from where the edit keeps it: there the plate is trusted only where
      // nearly every sample agrees (refinePlate), which the passing disc does not.
      for (const i of [17, 22]) {
        const plane = frames[i]!.guides![PLATE_DIFFERENCE_GUIDE]!;
        expect(plane[centreOf(i)]).toBeGreaterThan(200);
        expect(plane[corner]).toBeLessThan(40);
      }
      const picks = await kit.forPicks(new Map([[10, frames[10]!]]));
      const pick = picks.get(10)![0]!;
      expect(pick).toHaveLength(SIZE * SIZE);
      expect(pick[centreOf(10)]).toBeGreaterThan(200);
    } finally {
      kit.dispose();
    }
  });
});

describe('a model trained with the default guides', () => {
  it('still loads from the guided base and runs on frames that carry its two guides only', async () => {
    const spec = resolveGuideSpec({});
    const model = await Pix2Pix.loadWithGuides(defaultBasePath(spec), spec);
    try {
      expect(model.guides).toEqual(['person-prior', 'flow-alpha']);
      const kit = await GuideKit.open(model.guides, { video, fps: 10, crop: SIZE, edits: new Map([[10, edit(10)]]) });
      try {
        expect(kit.plate).toBeUndefined();
        const out = await firstValueFrom(decodeVideo(video, { fps: 10, crop: SIZE }).pipe(take(4), kit.stage(), generate(model), toArray()));
        expect(out).toHaveLength(4);
        expect(Object.keys(out[3]!.guides ?? {}).sort()).toEqual(['flow-alpha', 'person-prior']);
        expect(out[3]!.data).toHaveLength(SIZE * SIZE * 3);
      } finally {
        kit.dispose();
      }
    } finally {
      model.dispose();
    }
  });
});

describe('GuideKit.trainingGuides', () => {
  it("gives each pick nearby guides too: its own edit carried a few frames away and back, closer to it than the other picks' guide", async () => {
    const picks = [10, 20, 29];
    const kit = await GuideKit.open(['person-prior', 'flow-alpha'], { video, fps: 10, crop: SIZE, frameCount: 30, edits: new Map(picks.map((i) => [i, edit(i)])) });
    try {
      const frames = await collectFrames(video, picks, { fps: 10, crop: SIZE });
      const { planes, nearby } = await kit.trainingGuides(frames, { forStream: false, roundTrip: 3 });
      // Frame 29 has no frame 32: its own edit travels to frame 26 and back.
      expect([...nearby.keys()].sort((a, b) => a - b)).toEqual(picks);
      for (const pick of picks) {
        const far = planes.get(pick)!;
        const near = nearby.get(pick)!;
        expect(near).toHaveLength(2);
        expect(near[0]).toHaveLength(SIZE * SIZE);
        const truth = clip[pick]!.mask;
        const binary = (plane: Uint8Array) => plane.map((v) => (v >= 128 ? 255 : 0));
        expect(maskIoU(binary(near[1]!), truth)).toBeGreaterThan(0.8);
        expect(maskIoU(binary(near[1]!), truth)).toBeGreaterThanOrEqual(maskIoU(binary(far[1]!), truth));
        // Not the edit itself: it has been carried.
        expect(Buffer.compare(Buffer.from(near[1]!), Buffer.from(binary(truth)))).not.toBe(0);
      }
      // Exactly the round trip to frame 13 and back, doubted where the pick's grey did not come home.
      const [home, away] = [frames.get(10)!, (await collectFrames(video, [13], { fps: 10, crop: SIZE })).get(13)!].map((f) => greyPlane(f.data, SIZE, SIZE));
      const trip = (await roundTrip([nonWhiteMask(edit(10), SIZE, SIZE)], home!, away!, guideFlow(30)))!;
      expect(nearby.get(10)![1]).toEqual(doubtWhereMismatched(trip.planes[0]!, trip.mismatch));
      expect(nearby.get(10)![1]).not.toEqual(trip.planes[0]);
      expect((await kit.trainingGuides(frames, { forStream: false })).nearby.size).toBe(0);
      await expect(kit.trainingGuides(frames, { roundTrip: -1 })).rejects.toThrow(/roundTrip/);
    } finally {
      kit.dispose();
    }
  });
});

describe('GuideKit with white inside the subject', () => {
  // The same swaying disc with a white centre (teeth, a white shirt between lapels): the edit keeps it
  // white, and so does the frame.
  const white = clip.map(({ frame, mask }) => {
    let sx = 0, sy = 0, n = 0;
    mask.forEach((v, p) => {
      if (v) (sx += p % SIZE), (sy += Math.floor(p / SIZE)), n++;
    });
    const centre = (p: number) => (p % SIZE - sx / n) ** 2 + (Math.floor(p / SIZE) - sy / n) ** 2 <= 16;
    const data = frame.data.map((v, j) => (centre(Math.floor(j / 3)) ? 250 : v));
    return { data, mask, centre: Math.round(sy / n) * SIZE + Math.round(sx / n) };
  });
  let whiteVideo: string;
  beforeAll(async () => {
    whiteVideo = join(dir, 'white-centre.mp4');
    await lastValueFrom(from(white.map(({ data }, t) => ({ ...clip[t]!.frame, data }))).pipe(encodeVideo(whiteVideo, { fps: 10, crf: 12, overwrite: true })));
  });

  it('carries the white centre as subject, where the edits\' non-white region calls it background', async () => {
    const edits = new Map([10, 20].map((i) => [i, white[i]!.data.map((v, j) => (white[i]!.mask[Math.floor(j / 3)] ? v : 255))]));
    expect(nonWhiteMask(edits.get(20)!, SIZE, SIZE)[white[20]!.centre]).toBe(0);
    const kit = await GuideKit.open(['flow-alpha'], { video: whiteVideo, fps: 10, crop: SIZE, frameCount: 30, edits });
    try {
      const frames = await collectFrames(whiteVideo, [10, 20], { fps: 10, crop: SIZE });
      const { planes } = await kit.trainingGuides(frames, { forStream: false });
      // Pick 10's flow guide is pick 20's matte carried there.
      expect(planes.get(10)![0]![white[10]!.centre]).toBeGreaterThanOrEqual(128);
      const streamed = await firstValueFrom(decodeVideo(whiteVideo, { fps: 10, crop: SIZE }).pipe(take(16), kit.stage(), toArray()));
      expect(streamed[15]!.guides!['flow-alpha']![white[15]!.centre]).toBeGreaterThanOrEqual(128);
    } finally {
      kit.dispose();
    }
  });
});
