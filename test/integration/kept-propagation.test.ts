import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { readRgbImage } from '../../src/eval/read-image';
import { writeSynthClip } from '../../src/data/synth/write-synth-clip';
import { GuideKit } from '../../src/guides/guide-kit';
import { PersonPrior } from '../../src/prior/person-prior';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import type { Frame } from '../../src/pipeline/frame';
import * as collecting from '../../src/stages/collect-frames';
import { collectFrames } from '../../src/stages/collect-frames';
import { decodeVideo } from '../../src/stages/decode-video';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { tempDir } from './helpers';

const SIZE = 192;
const FRAMES = 14;
const PICKS = [3, 10];
const GUIDES = ['person-prior', 'flow-alpha'];

function streamed(video: string, kit: GuideKit): Promise<Frame[]> {
  return firstValueFrom(decodeVideo(video, { fps: 10, crop: SIZE, budget: new FrameBudget(FRAMES + 1) }).pipe(kit.stage(), toArray()));
}

describe("the training pass's propagation, kept for the stream", () => {
  it('gives the stream the same guides as propagating afresh, without reading the video again or running the prior, and is deleted with the kit', async () => {
    const dir = tempDir();
    const clip = await writeSynthClip(dir, { frames: FRAMES, size: SIZE, picks: PICKS, intrusion: { start: 2, span: 10 } });
    const edits = new Map(await Promise.all(PICKS.map(async (t) => [t, (await readRgbImage(join(clip.truthDir, pngFileName(t)))).data] as const)));
    // The kit reads `video`; the stream decodes a copy, so that `video` can be taken away.
    const copy = join(tempDir(), 'copy.mp4');
    copyFileSync(clip.video, copy);

    const fresh = await GuideKit.open(GUIDES, { video: clip.video, fps: 10, crop: SIZE, edits });
    const expected = await streamed(copy, fresh).finally(() => fresh.dispose());

    const before = new Set(readdirSync(tmpdir()));
    const kit = await GuideKit.open(GUIDES, { video: clip.video, fps: 10, crop: SIZE, edits });
    try {
      await kit.forPicks(await collectFrames(clip.video, PICKS, { fps: 10, crop: SIZE }));
      const kept = readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('vidgan-planes-'));
      // One store for the propagation, one for the prior computed beside it.
      expect(kept).toHaveLength(2);
      rmSync(clip.video);
      const probability = jest.spyOn(PersonPrior.prototype, 'probability');
      let priorCalls: number;
      const frames = await streamed(copy, kit).finally(() => {
        priorCalls = probability.mock.calls.length;
        probability.mockRestore();
      });
      expect(priorCalls!).toBe(0);
      expect(frames.map((f) => f.index)).toEqual([...Array(FRAMES).keys()]);
      for (const [t, frame] of frames.entries()) {
        expect(Object.keys(frame.guides!).sort()).toEqual(['flow-alpha', 'person-prior']);
        // Byte for byte: the same flows over the same frames.
        expect(Buffer.compare(frame.guides!['flow-alpha']!, expected[t]!.guides!['flow-alpha']!)).toBe(0);
        expect(Buffer.compare(frame.guides!['person-prior']!, expected[t]!.guides!['person-prior']!)).toBe(0);
      }
      kit.dispose();
      expect(readdirSync(tmpdir()).filter((name) => kept.includes(name))).toEqual([]);
    } finally {
      kit.dispose();
    }
  }, 300_000);

  it('applies a model with the picked frames it is given, without decoding them again, and the same guides', async () => {
    const dir = tempDir();
    const clip = await writeSynthClip(dir, { frames: FRAMES, size: SIZE, picks: PICKS, intrusion: { start: 2, span: 10 } });
    const edits = new Map(await Promise.all(PICKS.map(async (t) => [t, (await readRgbImage(join(clip.truthDir, pngFileName(t)))).data] as const)));
    const fresh = await GuideKit.open(GUIDES, { video: clip.video, fps: 10, crop: SIZE, edits });
    const expected = await streamed(clip.video, fresh).finally(() => fresh.dispose());

    const pickFrames = await collectFrames(clip.video, PICKS, { fps: 10, crop: SIZE });
    const kit = await GuideKit.open(GUIDES, { video: clip.video, fps: 10, crop: SIZE, edits, pickFrames });
    const collect = jest.spyOn(collecting, 'collectFrames');
    let calls: number;
    const frames = await streamed(clip.video, kit).finally(() => {
      calls = collect.mock.calls.length;
      collect.mockRestore();
      kit.dispose();
    });
    expect(calls!).toBe(0);
    for (const [t, frame] of frames.entries()) {
      expect(Buffer.compare(frame.guides!['person-prior']!, expected[t]!.guides!['person-prior']!)).toBe(0);
      expect(Buffer.compare(frame.guides!['flow-alpha']!, expected[t]!.guides!['flow-alpha']!)).toBe(0);
    }
  }, 300_000);
});
