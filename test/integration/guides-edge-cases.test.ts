import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import sharp from 'sharp';
import { maskIoU } from '../../src/eval/mask-iou';
import { nonWhiteMask } from '../../src/eval/non-white-mask';
import { readRgbImage } from '../../src/eval/read-image';
import { processVideo } from '../../src/jobs/process-video';
import { makeFrame } from '../../src/pipeline/frame';
import { encodeVideo } from '../../src/stages/encode-video';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { NO_TIME_LIMIT_S, tempDir } from './helpers';

const SIZE = 128;
const FRAMES = 16;

/**
 * A product shot with nobody in it: a box (and, to its right, a round "microphone") that drifts
 * slowly over a textured wall. The edit keeps both objects and whitens the wall. The person prior
 * finds nobody here, so the guides must not erase what the edits keep.
 */
function sceneAt(t: number): { rgb: Uint8Array; keep: Uint8Array } {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  const keep = new Uint8Array(SIZE * SIZE);
  const bx = 24 + t, by = 40;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = y * SIZE + x;
      const wall = 120 + 40 * Math.sin(x / 5) * Math.cos(y / 7);
      let c = [wall, wall * 0.9, wall * 0.7];
      const inBox = x >= bx && x < bx + 40 && y >= by && y < by + 56;
      const inMic = (x - (bx + 70)) ** 2 + (y - 60) ** 2 < 12 ** 2;
      if (inBox) c = [40, 70, 160];
      if (inMic) c = [30, 30, 30];
      if (inBox || inMic) keep[p] = 255;
      rgb.set(c.map((v) => Math.round(v)), p * 3);
    }
  }
  return { rgb, keep };
}

describe('processVideo with guides', () => {
  it('keeps what the edits keep where the person prior finds nobody', async () => {
    const dir = tempDir();
    const video = join(dir, 'product.mp4');
    const frames = Array.from({ length: FRAMES }, (_, t) => makeFrame(t, t / 10, SIZE, SIZE, sceneAt(t).rgb));
    await lastValueFrom(from(frames).pipe(encodeVideo(video, { fps: 10, crf: 12 })));
    mkdirSync(join(dir, 'edited'));
    const picks = [3, 12];
    for (const t of picks) {
      const { rgb, keep } = sceneAt(t);
      const edited = rgb.map((v, i) => (keep[Math.floor(i / 3)] ? v : 255));
      await sharp(edited, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(join(dir, 'edited', pngFileName(t)));
    }
    writeFileSync(join(dir, 'picks.txt'), picks.map((t) => `edited/${pngFileName(t)}`).join('\n') + '\n');

    const report = await processVideo({
      video,
      picks: join(dir, 'picks.txt'),
      out: join(dir, 'out.mp4'),
      framesOut: join(dir, 'frames'),
      crop: SIZE,
      base: 'none',
      training: { steps: 150, trainSeconds: NO_TIME_LIMIT_S, seed: 3, cropSize: 96 },
    });
    expect(report.frames).toBe(FRAMES);
    const ious: number[] = [];
    for (let t = 0; t < FRAMES; t++) {
      if (picks.includes(t)) continue;
      const out = await readRgbImage(join(dir, 'frames', pngFileName(t)));
      ious.push(maskIoU(nonWhiteMask(out.data, SIZE, SIZE), sceneAt(t).keep));
    }
    const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
    expect(mean).toBeGreaterThan(0.8);
  }, 900_000);
});
