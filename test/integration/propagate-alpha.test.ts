import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { writeSynthClip } from '../../src/data/synth/write-synth-clip';
import { maskIoU } from '../../src/eval/mask-iou';
import { nonWhiteMask } from '../../src/eval/non-white-mask';
import { readMaskImage, readRgbImage } from '../../src/eval/read-image';
import { propagateAlpha } from '../../src/flow/propagate-alpha';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import { releaseFrames } from '../../src/pipeline/release-frames';
import { decodeVideo } from '../../src/stages/decode-video';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { tempDir } from './helpers';

describe('propagateAlpha on a decoded video', () => {
  it('decodes the video a second time to read ahead, and carries the edits to every frame', async () => {
    const dir = tempDir();
    const clip = await writeSynthClip(dir, { frames: 24, size: 200, picks: [2, 12, 22], truth: false });
    const picks = new Map<number, Uint8Array>();
    for (const p of clip.picks) {
      const edited = await readRgbImage(join(dir, 'edited', pngFileName(p)));
      picks.set(p, nonWhiteMask(edited.data, edited.width, edited.height));
    }
    const budget = new FrameBudget(4);
    const frames = await firstValueFrom(
      decodeVideo(clip.video, { fps: 10, budget }).pipe(
        propagateAlpha({ picks, frames: (ahead) => decodeVideo(clip.video, { fps: 10, budget: ahead }), maxHeldFrames: 12 }),
        releaseFrames(budget),
        toArray(),
      ),
    );
    expect(frames.map((f) => f.index)).toEqual([...Array(24).keys()]);
    const ious: number[] = [];
    for (const frame of frames) {
      const alpha = frame.guides?.['flow-alpha'];
      expect(alpha).toHaveLength(200 * 200);
      if (!picks.has(frame.index)) ious.push(maskIoU(alpha!, (await readMaskImage(join(clip.masksDir, pngFileName(frame.index)))).data));
    }
    // Measured 0.978-0.987 on this clip (a slowly moving figure over a fixed background).
    expect(Math.min(...ious)).toBeGreaterThan(0.95);
  });
});
