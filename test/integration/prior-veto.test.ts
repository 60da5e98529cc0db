import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { readMaskImage, readRgbImage } from '../../src/eval/read-image';
import { writeSynthClip } from '../../src/data/synth/write-synth-clip';
import { collectFrames } from '../../src/stages/collect-frames';
import { GuideKit } from '../../src/guides/guide-kit';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { processVideo } from '../../src/jobs/process-video';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import { decodeVideo } from '../../src/stages/decode-video';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { NO_TIME_LIMIT_S, tempDir } from './helpers';

const SIZE = 256;
const FRAMES = 12;
const PICKS = [2, 9];
const GUIDES = ['person-prior', 'flow-alpha'];

/** Mean of `plane` inside `mask`, 0..255. */
function meanInside(plane: Uint8Array, mask: Uint8Array): number {
  let sum = 0, n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]! >= 128) (sum += plane[i]!), n++;
  return sum / n;
}

/** The person-prior plane of every frame of the stream, as a kit with these edits gives it. */
async function streamedPriors(video: string, edits: Map<number, Uint8Array>, priorVeto: boolean): Promise<Uint8Array[]> {
  const kit = await GuideKit.open(GUIDES, { video, fps: 10, crop: SIZE, edits, priorVeto });
  try {
    const frames = await firstValueFrom(decodeVideo(video, { fps: 10, crop: SIZE, budget: new FrameBudget(FRAMES + 1) }).pipe(kit.stage(), toArray()));
    expect(frames.every((f) => f.guides?.['flow-veto'] === undefined)).toBe(true);
    return frames.map((f) => f.guides!['person-prior']!);
  } finally {
    kit.dispose();
  }
}

describe('the person prior, corrected by the edits', () => {
  let clip: Awaited<ReturnType<typeof writeSynthClip>>;
  let masks: Uint8Array[];
  beforeAll(async () => {
    clip = await writeSynthClip(tempDir(), { frames: FRAMES, size: SIZE, picks: PICKS });
    masks = await Promise.all([...Array(FRAMES).keys()].map(async (t) => (await readMaskImage(join(clip.masksDir, pngFileName(t)))).data));
  }, 120_000);

  it('is lowered on a person the edits erase, in the frames between the picks and (from the other pick) on each pick', async () => {
    // The user erased the person: every edit is white.
    const erased = new Map(PICKS.map((t) => [t, new Uint8Array(SIZE * SIZE * 3).fill(255)]));
    const raw = await streamedPriors(clip.video, erased, false);
    const vetoed = await streamedPriors(clip.video, erased, true);
    for (let t = 0; t < FRAMES; t++) {
      expect(meanInside(raw[t]!, masks[t]!)).toBeGreaterThan(150);
      expect(meanInside(vetoed[t]!, masks[t]!)).toBeLessThan(40);
    }
    const kit = await GuideKit.open(GUIDES, { video: clip.video, fps: 10, crop: SIZE, edits: erased });
    try {
      const planes = await kit.forPicks(await collectFrames(clip.video, PICKS, { fps: 10, crop: SIZE }));
      for (const t of PICKS) expect(meanInside(planes.get(t)![0]!, masks[t]!)).toBeLessThan(60);
    } finally {
      kit.dispose();
    }
  }, 300_000);

  it('is left alone on a person the edits keep', async () => {
    const kept = new Map(await Promise.all(PICKS.map(async (t) => [t, (await readRgbImage(join(clip.truthDir, pngFileName(t)))).data] as const)));
    const raw = await streamedPriors(clip.video, kept, false);
    const vetoed = await streamedPriors(clip.video, kept, true);
    for (let t = 0; t < FRAMES; t++) expect(Math.abs(meanInside(vetoed[t]!, masks[t]!) - meanInside(raw[t]!, masks[t]!))).toBeLessThan(3);
  }, 300_000);

  it('is recorded in the drilled checkpoint, and a model applied again gets the prior it was trained with', async () => {
    const dir = tempDir();
    const run = async (name: string, extra: { priorVeto?: boolean; model?: string }) => {
      const info: string[] = [];
      await processVideo({
        video: clip.video,
        picks: clip.picksFile,
        out: join(dir, `${name}.mp4`),
        crop: SIZE,
        training: { steps: 2, trainSeconds: NO_TIME_LIMIT_S, cropSize: 128 },
        onInfo: (message) => info.push(message),
        ...extra,
      });
      return info.find((m) => m.startsWith('Guides:'));
    };
    const lowered = /the person prior lowered where the edits erased what it marks/;
    expect(await run('on', {})).toMatch(lowered);
    expect((await Pix2Pix.readCheckpointInfo(join(dir, 'on.mp4.model.safetensors'))).metadata.prior_veto).toBe('true');
    expect(await run('off', { priorVeto: false })).not.toMatch(lowered);
    expect((await Pix2Pix.readCheckpointInfo(join(dir, 'off.mp4.model.safetensors'))).metadata.prior_veto).toBe('false');
    expect(await run('on-again', { model: join(dir, 'on.mp4.model.safetensors') })).toMatch(lowered);
    expect(await run('off-again', { model: join(dir, 'off.mp4.model.safetensors') })).not.toMatch(lowered);
  }, 600_000);
});
