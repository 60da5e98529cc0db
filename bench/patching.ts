/**
 * The study's third edit, patching an intrusion: a synthetic interview (`writeSynthClip`) into which
 * another person's fingers enter at the lower left (`paintIntrusion`); the edited frames erase them
 * over the background and paint the clothing over where they cover the speaker. Trains on `--picks`
 * edited frames and prints the held-out PSNR inside the fingers' region (where they are), against
 * doing nothing (the input itself) as the floor.
 *
 * Usage: node -r ts-node/register bench/patching.ts [--seconds 150] [--picks 2] [--frames 60] [--seed 7]
 *   [--base <ckpt>|none] [--keep <dir>]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFrames } from '../src/jobs/collect-frames';
import { readMaskImage, readRgbImage } from '../src/eval/read-image';
import { summarize } from '../src/eval/summarize';
import { processVideo } from '../src/jobs/process-video';
import { writeSynthClip } from '../src/data/synth/write-synth-clip';
import { pngFileName } from '../src/stages/write-png-sequence';
import { arg } from './arg';

/** PSNR over the pixels where `mask` is set. */
function maskedPsnr(a: Uint8Array, b: Uint8Array, mask: Uint8Array): number {
  let sum = 0, n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]! < 128) continue;
    for (let c = 0; c < 3; c++) {
      const d = a[p * 3 + c]! - b[p * 3 + c]!;
      sum += d * d;
      n++;
    }
  }
  return n === 0 ? NaN : Math.min(60, 10 * Math.log10((255 * 255) / Math.max(1e-9, sum / n)));
}

async function main() {
  const frames = Number(arg('frames', '60'));
  const seconds = Number(arg('seconds', '150'));
  const pickCount = Number(arg('picks', '2'));
  const work = arg('keep', '') || mkdtempSync(join(tmpdir(), 'vidgan-patching-'));
  const intrusion = { start: 4, span: frames - 8 };
  // Picks where the hand is in: spread over the middle of its visit.
  const picks = Array.from({ length: pickCount }, (_, i) => Math.round(intrusion.start + ((i + 1) * intrusion.span) / (pickCount + 1)));
  const clip = await writeSynthClip(work, { frames, picks, intrusion, seed: Number(arg('seed', '7')) });
  const base = arg('base', '');
  const report = await processVideo({
    video: clip.video,
    picks: clip.picksFile,
    out: join(work, 'out.mp4'),
    framesOut: join(work, 'frames'),
    overwrite: true,
    ...(base !== '' ? { base } : {}),
    training: { trainSeconds: seconds, steps: 100000 },
  });
  const model: number[] = [];
  const nothing: number[] = [];
  const inputs = await collectFrames(clip.video, [...Array(frames).keys()], { fps: 10, crop: 400 });
  for (let i = 0; i < frames; i++) {
    if (picks.includes(i)) continue;
    const region = (await readMaskImage(join(clip.intrusionDir!, pngFileName(i)))).data;
    if (!region.some((v) => v >= 128)) continue;
    const truth = (await readRgbImage(join(clip.truthDir, pngFileName(i)))).data;
    const out = (await readRgbImage(join(work, 'frames', pngFileName(i)))).data;
    model.push(maskedPsnr(out, truth, region));
    nothing.push(maskedPsnr(inputs.get(i)!.data, truth, region));
  }
  const m = summarize(model), z = summarize(nothing);
  console.log(
    `patching: picks ${picks.join(',')} of ${frames}, train ${report.training?.trainSeconds.toFixed(0)} s ` +
      `(${report.training?.stepsThisRun} steps); held-out PSNR inside the fingers' region over ${model.length} frames: ` +
      `${m.mean.toFixed(2)} dB (min ${m.min.toFixed(2)}); doing nothing: ${z.mean.toFixed(2)} dB. Frames in ${join(work, 'frames')}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
