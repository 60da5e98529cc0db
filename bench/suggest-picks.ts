/**
 * Do suggested picks beat evenly spaced ones? For each clip, N frames are picked two ways, by
 * `suggestPicks` (k-centre in embedding space, outliers left out) and evenly spaced (`spreadPicks`),
 * "edited" (background to white through the true mask), and `processVideo` trains on each set with the
 * same budget (steps, seed, base, guides) and writes every output frame. Both are scored on the same
 * frames, those neither set picked: IoU of the output's non-white region against the true mask.
 *
 * Also prints how well the distance of a frame to its nearest pick predicts its error: Spearman's rank
 * correlation of that distance (pooled statistics, and the person prior's pooled mask) with 1 - IoU.
 *
 * Clips: DAVIS scooter-black (4 of 43) and bmx-trees (8 of 80) from ../shared/data/davis-dev, and a
 * synthetic clip whose scene changes halfway (two `writeSynthClip` scenes of 40 frames, one after the
 * other; 4 of 80).
 *
 * Usage: node -r ts-node/register/transpile-only bench/suggest-picks.ts [--steps 100] [--seed 0]
 *   [--clips scooter-black,bmx-trees,scene-change] [--base <ckpt>|none] [--keep <dir>]
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, lastValueFrom, map, toArray } from 'rxjs';
import sharp from 'sharp';
import { spreadPicks, writeSynthClip } from '../src/data/synth/write-synth-clip';
import { maskIoU } from '../src/eval/mask-iou';
import { nonWhiteMask } from '../src/eval/non-white-mask';
import { readMaskImage, readRgbImage } from '../src/eval/read-image';
import { summarize } from '../src/eval/summarize';
import { processVideo } from '../src/jobs/process-video';
import { FrameBudget } from '../src/pipeline/frame-budget';
import { makeFrame, type Frame } from '../src/pipeline/frame';
import { PersonPrior } from '../src/prior/person-prior';
import { embeddingDistance } from '../src/select/frame-embedding';
import { suggestPicks } from '../src/select/suggest-picks';
import { decodeVideo } from '../src/stages/decode-video';
import { encodeVideo } from '../src/stages/encode-video';
import { pngFileName } from '../src/stages/write-png-sequence';
import { arg } from './arg';
import { embedCandidates, spearman } from './embedding-candidates';


const DATA = join(__dirname, '..', '..', 'shared', 'data', 'davis-dev');
const SIZE = 400;

interface Clip {
  readonly name: string;
  readonly video: string;
  readonly count: number;
  /** The true mask of frame i (0/255). */
  readonly mask: (i: number) => Promise<Uint8Array>;
}

async function davisClip(name: string, count: number): Promise<Clip> {
  return {
    name,
    video: join(DATA, `${name}.mp4`),
    count,
    mask: async (i) => binary((await readMaskImage(join(DATA, `${name}-masks`, `${String(i).padStart(5, '0')}.png`))).data),
  };
}

/** Two synthetic scenes of 40 frames each, one after the other: the look changes at frame 40. */
async function sceneChangeClip(work: string): Promise<Clip> {
  const dir = join(work, 'scene-change');
  const halves = [await writeSynthClip(join(dir, 'a'), { frames: 40, seed: 5 }), await writeSynthClip(join(dir, 'b'), { frames: 40, seed: 23 })];
  mkdirSync(join(dir, 'masks'), { recursive: true });
  halves.forEach((h, k) => {
    for (let i = 0; i < 40; i++) copyFileSync(join(h.masksDir, pngFileName(i)), join(dir, 'masks', pngFileName(k * 40 + i)));
  });
  const video = join(dir, 'clip.mp4');
  const budget = new FrameBudget(16);
  let index = 0;
  await lastValueFrom(
    concat(...halves.map((h) => decodeVideo(h.video, { budget }))).pipe(
      map((f) => makeFrame(index, index++ / 10, f.width, f.height, f.data)),
      encodeVideo(video, { fps: 10, crf: 16, overwrite: true, budget }),
    ),
  );
  return { name: 'scene-change', video, count: 4, mask: async (i) => binary((await readMaskImage(join(dir, 'masks', pngFileName(i)))).data) };
}

function binary(plane: Uint8Array): Uint8Array {
  return plane.map((v) => (v >= 128 ? 255 : 0));
}

/** The frame with its background erased to white through the mask. */
function whiten(frame: Frame, mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.data);
  for (let p = 0; p < mask.length; p++) if (mask[p] === 0) out.fill(255, p * 3, p * 3 + 3);
  return out;
}

/** Trains on the picks and returns the IoU of every output frame (NaN for picks). */
async function trainAndScore(clip: Clip, frames: Frame[], masks: Uint8Array[], picks: readonly number[], dir: string, steps: number, seed: number, base: string): Promise<number[]> {
  mkdirSync(join(dir, 'edited'), { recursive: true });
  for (const i of picks) {
    await sharp(whiten(frames[i]!, masks[i]!), { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(join(dir, 'edited', pngFileName(i)));
  }
  writeFileSync(join(dir, 'picks.txt'), picks.map((i) => `edited/${pngFileName(i)}`).join('\n') + '\n');
  await processVideo({
    video: clip.video,
    picks: join(dir, 'picks.txt'),
    out: join(dir, 'out.mp4'),
    framesOut: join(dir, 'frames'),
    base,
    overwrite: true,
    training: { steps, trainSeconds: 1_000_000, seed },
  });
  const ious: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    const out = await readRgbImage(join(dir, 'frames', pngFileName(i)));
    ious.push(picks.includes(i) ? Number.NaN : maskIoU(nonWhiteMask(out.data, SIZE, SIZE), masks[i]!));
  }
  return ious;
}

function distancesToPicks(embeddings: readonly Float32Array[], picks: readonly number[]): number[] {
  return embeddings.map((e) => Math.min(...picks.map((p) => embeddingDistance(e, embeddings[p]!))));
}

async function main() {
  const steps = Number(arg('steps', '100'));
  const seed = Number(arg('seed', '0'));
  const base = arg('base', join(__dirname, '..', 'models', 'base.safetensors'));
  const names = arg('clips', 'scooter-black,bmx-trees,scene-change').split(',').filter(Boolean);
  const keep = arg('keep', '');
  const work = keep || mkdtempSync(join(tmpdir(), 'vidgan-suggest-'));
  mkdirSync(work, { recursive: true });
  console.log(`suggested vs evenly spaced picks: ${steps} training steps each, seed ${seed}, base ${base}, work ${work}`);
  const prior = await PersonPrior.load();
  const rows: string[] = [];
  for (const name of names) {
    const clip = name === 'scene-change' ? await sceneChangeClip(work) : await davisClip(name, name === 'bmx-trees' ? 8 : 4);
    const frames = await lastValueFrom(decodeVideo(clip.video, { crop: SIZE }).pipe(toArray()));
    const masks = await Promise.all(frames.map((_, i) => clip.mask(i)));
    const { embeddings } = await embedCandidates(frames, prior);
    const suggested = suggestPicks(embeddings.pooled, clip.count).frames.sort((a, b) => a - b);
    const even = spreadPicks(frames.length, clip.count);
    const ious = {
      suggested: await trainAndScore(clip, frames, masks, suggested, join(work, clip.name, 'suggested'), steps, seed, base),
      even: await trainAndScore(clip, frames, masks, even, join(work, clip.name, 'even'), steps, seed, base),
    };
    // Scored on the frames neither set picked, so both are judged on the same frames.
    const scored = frames.map((_, i) => i).filter((i) => !suggested.includes(i) && !even.includes(i));
    const line = (label: string, picks: number[], iou: number[]) => {
      const s = summarize(scored.map((i) => iou[i]!));
      const corr = (['pooled', 'prior'] as const).map((c) => {
        const d = distancesToPicks(embeddings[c], picks);
        return `${c} ${spearmanOn(scored, d, iou).toFixed(2)}`;
      });
      return `${clip.name.padEnd(13)} ${label.padEnd(10)} picks ${picks.join(',').padEnd(24)} held-out IoU ${s.mean.toFixed(3)} ± ${s.std.toFixed(3)} (min ${s.min.toFixed(3)}, ${scored.length} frames)  distance~error ${corr.join(', ')}`;
    };
    for (const text of [line('suggested', suggested, ious.suggested), line('even', even, ious.even)]) {
      console.log(text);
      rows.push(text);
    }
  }
  prior.dispose();
  console.log('\n' + rows.join('\n'));
}

/** Spearman correlation between distance and error (1 - IoU) over the scored frames. */
function spearmanOn(scored: readonly number[], distance: readonly number[], iou: readonly number[]): number {
  return spearman(scored.map((i) => distance[i]!), scored.map((i) => 1 - iou[i]!));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
