/**
 * The background plate alone (src/plate), on a clip with true masks: whether it calls the camera
 * still, how much of the frame it trusts, how well its `plate-difference` guide alone separates the
 * person (IoU of guide >= 128 against the truth), and what the cleanup after the generator
 * (`clearPlateBackground`: white where the frame confidently equals the plate) would clear: the share
 * of the true background and of the person. With `--outputs <folder of PNGs>` (a run's output frames,
 * e.g. bench/real-footage.ts --keep <dir>: <dir>/<clip>/frames) it also scores those outputs before and
 * after the cleanup, on the frames that were not picked.
 *
 * Usage: node -r ts-node/register bench/background-plate.ts (--video clip.mp4 --masks <dir of NNNNN.png> | --people K [--tripod])
 *   [--picks 2 (spread, as the people clips) | --every 10 (as the DAVIS clips)] [--outputs <dir>] [--threshold 32] [--radius 2]
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { spreadPicks } from '../src/data/synth/write-synth-clip';
import { maskIoU } from '../src/eval/mask-iou';
import { nonWhiteMask } from '../src/eval/non-white-mask';
import { summarize } from '../src/eval/summarize';
import { GUIDE_FLOW } from '../src/guides/guide-kit';
import { collectFrames } from '../src/stages/collect-frames';
import { clearPlateBackground } from '../src/plate/clear-plate-background';
import { estimatePlate, plateFor } from '../src/plate/estimate-plate';
import { plateDifference } from '../src/plate/plate-difference';
import { decodeVideo } from '../src/stages/decode-video';
import { pngFileName } from '../src/stages/write-png-sequence';
import { arg } from './arg';
import { somePeople, writePeopleClip } from './people-clips';

const SIZE = 400;

async function readMask(path: string): Promise<Uint8Array> {
  return new Uint8Array((await sharp(path).greyscale().raw().toBuffer()).map((v) => (v >= 128 ? 255 : 0)));
}

async function main() {
  let video = arg('video', '');
  let maskDir = arg('masks', '');
  const people = arg('people', '');
  if (people !== '') {
    // people-K of bench/people-clips.ts, as bench/real-footage.ts makes it.
    const k = Number(people);
    const tripod = process.argv.includes('--tripod');
    const dir = join(mkdtempSync(join(tmpdir(), 'vidgan-plate-')), `people-${k}${tripod ? '-tripod' : ''}`);
    await writePeopleClip(dir, (await somePeople(k + 1))[k]!, 100 + k, { size: SIZE, tripod });
    video = join(dir, 'clip.mp4');
    maskDir = join(dir, 'masks');
  }
  const threshold = Number(arg('threshold', '32'));
  const radius = Number(arg('radius', '2'));
  let count = 0;
  while (existsSync(join(maskDir, `${String(count).padStart(5, '0')}.png`))) count++;
  const masks = await Promise.all([...Array(count).keys()].map((i) => readMask(join(maskDir, `${String(i).padStart(5, '0')}.png`))));
  const every = Number(arg('every', '0'));
  const picks = every > 0 ? [...Array(count).keys()].filter((i) => i % every === Math.floor(every / 2) % every) : spreadPicks(count, Number(arg('picks', '2')));
  const estimate = await estimatePlate({ frames: (budget) => decodeVideo(video, { fps: 10, crop: SIZE, budget }), edits: new Map(picks.map((i) => [i, masks[i]!])), flow: GUIDE_FLOW });
  const m = estimate.motion;
  console.log(
    `${video}: ${m.static ? 'STATIC' : 'MOVING'} (median shift ${m.medianShiftPx.toFixed(2)} px, still pairs ${m.stillPairs.toFixed(2)}, ` +
      `drift ${m.driftPx.toFixed(2)} px, border agreement ${m.borderAgreement.toFixed(2)}; ${estimate.samples} samples, stride ${estimate.stride}; picks ${picks.join(',')})`,
  );
  const plate = plateFor(estimate);
  if (plate === undefined) return console.log('no plate: the guide is 128 everywhere and the cleanup does nothing');
  const share = (f: (c: number) => boolean) => plate.confidence.filter(f).length / plate.confidence.length;
  console.log(`confidence: >= 192 on ${(100 * share((c) => c >= 192)).toFixed(1)}% of the pixels, 0 on ${(100 * share((c) => c === 0)).toFixed(1)}%`);
  const frames = await collectFrames(video, [...Array(count).keys()], { fps: 10, crop: SIZE });
  const ious: number[] = [];
  let bg = 0, bgCleared = 0, fg = 0, fgCleared = 0;
  const outputs = arg('outputs', '');
  const before: number[] = [], after: number[] = [];
  for (let i = 0; i < count; i++) {
    const plane = plateDifference(frames.get(i)!.data, plate, { radius });
    ious.push(maskIoU(plane.map((v) => (v >= 128 ? 255 : 0)), masks[i]!));
    for (let p = 0; p < plane.length; p++) {
      if (masks[i]![p]) (fg++, plane[p]! <= threshold && fgCleared++);
      else (bg++, plane[p]! <= threshold && bgCleared++);
    }
    if (outputs !== '' && !picks.includes(i)) {
      const out = new Uint8Array(await sharp(join(outputs, pngFileName(i))).removeAlpha().raw().toBuffer());
      before.push(maskIoU(nonWhiteMask(out, SIZE, SIZE), masks[i]!));
      after.push(maskIoU(nonWhiteMask(clearPlateBackground(out, plane, threshold), SIZE, SIZE), masks[i]!));
    }
  }
  const g = summarize(ious);
  console.log(`guide alone (>= 128): IoU ${g.mean.toFixed(3)} (min ${g.min.toFixed(3)})`);
  console.log(`cleanup at <= ${threshold}: clears ${(100 * bgCleared / bg).toFixed(1)}% of the true background and ${(100 * fgCleared / fg).toFixed(2)}% of the person`);
  if (outputs !== '') {
    const b = summarize(before), a = summarize(after);
    console.log(`outputs: held-out IoU ${b.mean.toFixed(3)} (min ${b.min.toFixed(3)}) → with cleanup ${a.mean.toFixed(3)} (min ${a.min.toFixed(3)})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
