import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMaskImage, readRgbImage } from '../../src/eval/read-image';
import { writeSynthClip } from '../../src/data/synth/write-synth-clip';
import { processVideo } from '../../src/jobs/process-video';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { NO_TIME_LIMIT_S, tempDir } from './helpers';

const SIZE = 256;
const FRAMES = 14;
const PICKS = [5, 9];

/** The summed squared error of `rgb` against `truth` inside `mask`. */
function squaredError(rgb: Uint8Array, truth: Uint8Array, mask: Uint8Array): number {
  let sum = 0;
  for (let q = 0; q < mask.length; q++) if (mask[q]! >= 128) for (let c = 0; c < 3; c++) sum += (rgb[q * 3 + c]! - truth[q * 3 + c]!) ** 2;
  return sum;
}

describe('processVideo painting from the picks', () => {
  it('covers the fingers the edits removed in the frames between and around them, and says so', async () => {
    const dir = tempDir();
    const clip = await writeSynthClip(dir, { frames: FRAMES, size: SIZE, picks: PICKS, intrusion: { start: 1, span: FRAMES } });
    const reports: Record<string, Awaited<ReturnType<typeof processVideo>>> = {};
    const run = async (name: string, extra: { paint?: boolean; model?: string }) => {
      const info: string[] = [];
      reports[name] = await processVideo({
        video: clip.video,
        picks: clip.picksFile,
        out: join(dir, `${name}.mp4`),
        framesOut: join(dir, name),
        crop: SIZE,
        training: { steps: 2, trainSeconds: NO_TIME_LIMIT_S, cropSize: 128 },
        onInfo: (message) => info.push(message),
        ...extra,
      });
      return info;
    };
    // One model for both runs, so that only the painting differs.
    const plainInfo = await run('plain', { paint: false });
    expect(plainInfo.some((m) => m.startsWith('Painting:'))).toBe(false);
    // Edits that paint train without the nearby guides (painting turned off or not), unless told otherwise.
    expect(plainInfo).toContainEqual(expect.stringMatching(/^The edits paint over the picture: the edited frames train with the guides the other edits carry/));
    expect(plainInfo).toContainEqual(expect.stringMatching(/^Training on 2 edited frames \(2 pairs\)/));
    expect(await run('painted', { model: join(dir, 'plain.mp4.model.safetensors') })).toContainEqual(expect.stringMatching(/^Painting: the edits of frames 5, 9/));
    expect(reports.plain!.painting).toBeUndefined();
    expect(reports.painted!.painting?.picks).toEqual(PICKS);
    expect(reports.painted!.painting?.frames).toBeGreaterThanOrEqual(6);
    // Strays are dropped as the flow's measure on the picks says, and the model applied again decides the same.
    const strays = reports.plain!.strays!;
    expect(strays.flowMiss).toBeGreaterThanOrEqual(0);
    expect(strays.mode).toBe(strays.flowMiss! <= 0.1 ? 'pixels' : 'regions');
    expect(reports.painted!.strays).toEqual({ mode: strays.mode, flowMiss: strays.flowMiss });
    // The model applied to another video: its measure says nothing of that one's flow, so regions only.
    const other = join(dir, 'other.mp4');
    copyFileSync(clip.video, other);
    const elsewhere = await processVideo({ video: other, picks: clip.picksFile, model: join(dir, 'plain.mp4.model.safetensors'), out: join(dir, 'other-out.mp4'), crop: SIZE, paint: false });
    expect(elsewhere.strays).toEqual({ mode: 'regions' });
    expect(plainInfo).toContainEqual(expect.stringMatching(/^Erasing (wherever|regions apart from the subject where) the edits, carried by optical flow, erased/));
    let plain = 0, painted = 0, frames = 0;
    for (let t = 0; t < FRAMES; t++) {
      const region = (await readMaskImage(join(clip.intrusionDir!, pngFileName(t)))).data;
      if (PICKS.includes(t) || region.filter((v) => v >= 128).length < 200) continue;
      const truth = (await readRgbImage(join(clip.truthDir, pngFileName(t)))).data;
      plain += squaredError((await readRgbImage(join(dir, 'plain', pngFileName(t)))).data, truth, region);
      painted += squaredError((await readRgbImage(join(dir, 'painted', pngFileName(t)))).data, truth, region);
      frames++;
    }
    expect(frames).toBeGreaterThanOrEqual(6);
    // At least 3 dB better inside the fingers' region: half the squared error.
    expect(painted).toBeLessThan(plain / 2);
  }, 600_000);
});
