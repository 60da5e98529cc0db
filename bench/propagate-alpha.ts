/**
 * Propagation alone on real footage: the DAVIS clips in ../shared/data/davis-dev (hand-drawn masks,
 * 400x400 centre crop at 10 fps). Every 10th frame is "edited" (background to white through its true
 * mask) and its alpha, the non-white region of the edit, is carried to every other frame by DIS flow
 * (src/flow/alpha-propagator.ts); those frames are scored: IoU against their true masks. Also the
 * leave-one-out IoU at the picks, the ms per frame, the peak of frames held, and the cut measures
 * (the largest within the clips and the value at a splice of the two clips, which must cut).
 *
 * Usage: node -r ts-node/register bench/propagate-alpha.ts [--every 10] [--offset 5] [--preset medium]
 *   [--scale 1] [--direct] [--clips scooter-black,bmx-trees] [--render /tmp/propagated]
 *
 * `--memory <frames>` instead streams that many synthetic 200x200 frames (a drifting texture, picks
 * every `--every` frames) through one propagator and prints the resident memory and frames held as it
 * goes: flat for any length.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import sharp from 'sharp';
import { maskIoU } from '../src/eval/mask-iou';
import { nonWhiteMask } from '../src/eval/non-white-mask';
import { AlphaPropagator, type PropagatedAlpha } from '../src/flow/alpha-propagator';
import { computeFlow, type FlowOptions } from '../src/flow/compute-flow';
import { histogramDistance, meanAbsDifference } from '../src/flow/detect-cut';
import { greyPlane } from '../src/flow/grey-plane';
import type { Plane } from '../src/flow/plane';
import { warpPlane } from '../src/flow/warp-plane';
import type { Frame } from '../src/pipeline/frame';
import { decodeVideo } from '../src/stages/decode-video';
import { arg } from './arg';

const DATA = join(__dirname, '..', '..', 'shared', 'data', 'davis-dev');
const SIZE = 400;

async function readMask(path: string): Promise<Uint8Array> {
  const data = await sharp(path).greyscale().raw().toBuffer();
  return new Uint8Array(data.map((v) => (v >= 128 ? 255 : 0)));
}

/** What an editor hands in: the frame with its background erased to white; its alpha is the non-white region. */
function editedAlpha(rgb: Uint8Array, mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let p = 0; p < mask.length; p++) for (let k = 0; k < 3; k++) out[p * 3 + k] = mask[p] ? rgb[p * 3 + k]! : 255;
  return nonWhiteMask(out, SIZE, SIZE);
}

async function loadClip(clip: string): Promise<{ frames: Frame[]; masks: Uint8Array[] }> {
  const frames = await firstValueFrom(decodeVideo(join(DATA, `${clip}.mp4`), { fps: 10, crop: SIZE }).pipe(toArray()));
  const maskDir = join(DATA, `${clip}-masks`);
  const masks: Uint8Array[] = [];
  while (existsSync(join(maskDir, `${String(masks.length).padStart(5, '0')}.png`))) {
    masks.push(await readMask(join(maskDir, `${String(masks.length).padStart(5, '0')}.png`)));
  }
  return { frames: frames.slice(0, masks.length), masks };
}

/** Per pair of consecutive frames: histogram distance and the flow residual, as the propagator measures them. */
async function cutMeasures(a: Plane, b: Plane, flow: FlowOptions): Promise<{ hist: number; residual: number }> {
  const f = await computeFlow(b, a, flow);
  return { hist: histogramDistance(a, b), residual: meanAbsDifference(await warpPlane(a, f), b) };
}

async function render(dir: string, clip: string, frame: Frame, result: PropagatedAlpha, truth: Uint8Array): Promise<void> {
  // Left: the frame dimmed where the propagated alpha says background; right: alpha (grey) over truth outline (red).
  const out = new Uint8Array(SIZE * 2 * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = y * SIZE + x;
      const a = result.alpha[p]! / 255;
      const edge = truth[p] && (x === 0 || !truth[p - 1] || x === SIZE - 1 || !truth[p + 1] || y === 0 || !truth[p - SIZE] || y === SIZE - 1 || !truth[p + SIZE]);
      for (let k = 0; k < 3; k++) {
        out[(y * SIZE * 2 + x) * 3 + k] = Math.round(frame.data[p * 3 + k]! * (0.25 + 0.75 * a) + 255 * (1 - a) * 0.5);
        out[(y * SIZE * 2 + SIZE + x) * 3 + k] = edge ? (k === 0 ? 255 : 0) : result.alpha[p]!;
      }
    }
  }
  await sharp(out, { raw: { width: SIZE * 2, height: SIZE, channels: 3 } }).png().toFile(join(dir, `${clip}-${String(frame.index).padStart(3, '0')}-${result.source}.png`));
}

/** A drifting texture, made on the fly: nothing of the stream is kept but what the propagator holds. */
function syntheticGrey(t: number, size: number): Plane {
  const data = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data[y * size + x] = 128 + 60 * Math.sin((x + t) * 0.2) * Math.cos((y - 0.5 * t) * 0.15);
  }
  return { width: size, height: size, data };
}

async function memory(frames: number, every: number, maxHeldFrames: number): Promise<void> {
  const size = 200;
  const disc = new Uint8Array(size * size).map((_, i) => (Math.hypot((i % size) - 100, Math.floor(i / size) - 100) < 40 ? 255 : 0));
  const picks = new Map<number, Uint8Array>();
  for (let i = 0; i < frames; i += every) picks.set(i, disc);
  const propagator = new AlphaPropagator({ width: size, height: size, picks, maxHeldFrames });
  const mb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  console.log(`memory: ${frames} frames of ${size}x${size}, a pick every ${every}, maxHeldFrames ${maxHeldFrames}; RSS ${mb()} MB at start`);
  let emitted = 0;
  for (let t = 0; t < frames; t++) {
    emitted += (await propagator.push(t, syntheticGrey(t, size))).frames.length;
    if ((t + 1) % Math.ceil(frames / 8) === 0) {
      console.log(`  after ${t + 1} frames: ${emitted} emitted, ${propagator.heldFrames} held (peak ${propagator.peakHeldFrames}), RSS ${mb()} MB`);
    }
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--memory')) {
    return memory(Number(arg('memory', '2000')), Number(arg('every', '100')), Number(arg('max-held', '150')));
  }
  const every = Number(arg('every', '10'));
  const offset = Number(arg('offset', '5'));
  const flow: FlowOptions = { preset: arg('preset', 'medium') as FlowOptions['preset'], scale: Number(arg('scale', '1')) };
  const clips = arg('clips', 'scooter-black,bmx-trees').split(',');
  const direct = process.argv.includes('--direct');
  const renderDir = arg('render', '');
  if (renderDir) mkdirSync(renderDir, { recursive: true });
  console.log(`propagation: DIS ${flow.preset}, scale ${flow.scale}${direct ? ', direct from the picks too' : ''}, every ${every}th frame from ${offset} picked`);
  const loaded = new Map<string, { frames: Frame[]; masks: Uint8Array[] }>();
  const ious: number[] = [];
  for (const clip of clips) {
    const { frames, masks } = await loadClip(clip);
    loaded.set(clip, { frames, masks });
    const picks = new Map<number, Uint8Array>();
    for (let i = offset; i < frames.length; i += every) picks.set(i, editedAlpha(frames[i]!.data, masks[i]!));
    const propagator = new AlphaPropagator({ width: SIZE, height: SIZE, picks, flow, direct });
    const results: PropagatedAlpha[] = [];
    const loo: PropagatedAlpha[] = [];
    const started = process.hrtime.bigint();
    for (const frame of frames) {
      const out = await propagator.push(frame.index, greyPlane(frame.data, SIZE, SIZE));
      results.push(...out.frames);
      loo.push(...out.leaveOneOut);
    }
    const rest = await propagator.finish();
    results.push(...rest.frames);
    loo.push(...rest.leaveOneOut);
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / frames.length;
    const scored = results.filter((r) => !picks.has(r.index));
    const clipIous = scored.map((r) => maskIoU(r.alpha, masks[r.index]!));
    const mean = clipIous.reduce((a, b) => a + b, 0) / clipIous.length;
    ious.push(mean);
    const looIou = loo.map((r) => maskIoU(r.alpha, masks[r.index]!));
    const cuts = results.filter((r) => r.cutBefore).map((r) => r.index);
    console.log(
      `${clip}: ${frames.length} frames, ${picks.size} picks; IoU ${mean.toFixed(3)} (min ${Math.min(...clipIous).toFixed(3)}) over ${scored.length} frames; ` +
        `leave-one-out at picks ${(looIou.reduce((a, b) => a + b, 0) / looIou.length).toFixed(3)}; ${ms.toFixed(1)} ms/frame; ` +
        `peak held ${propagator.peakHeldFrames}; cuts detected ${cuts.length ? cuts.join(',') : 'none'}`,
    );
    if (renderDir) {
      for (const r of results.filter((r) => r.index % 10 === 0 || r.index === frames.length - 1)) {
        await render(renderDir, clip, frames[r.index]!, r, masks[r.index]!);
      }
    }
  }
  console.log(`mean IoU ${(ious.reduce((a, b) => a + b, 0) / ious.length).toFixed(3)}`);

  // Cut measures: the largest within each clip, and at a splice of the first clip's end to the second's start.
  const greys = [...loaded.values()].map(({ frames }) => frames.map((f) => greyPlane(f.data, SIZE, SIZE)));
  for (const [k, clip] of clips.entries()) {
    let hist = 0;
    let residual = 0;
    for (let i = 1; i < greys[k]!.length; i++) {
      const m = await cutMeasures(greys[k]![i - 1]!, greys[k]![i]!, flow);
      hist = Math.max(hist, m.hist);
      residual = Math.max(residual, m.residual);
    }
    console.log(`${clip}: within the shot, largest histogram distance ${hist.toFixed(3)}, largest flow residual ${residual.toFixed(1)}`);
  }
  if (greys.length >= 2) {
    const m = await cutMeasures(greys[0]!.at(-1)!, greys[1]![0]!, flow);
    const back = await cutMeasures(greys[1]!.at(-1)!, greys[0]![0]!, flow);
    console.log(
      `splice ${clips[0]} -> ${clips[1]}: histogram distance ${m.hist.toFixed(3)}, flow residual ${m.residual.toFixed(1)}; ` +
        `${clips[1]} -> ${clips[0]}: ${back.hist.toFixed(3)}, ${back.residual.toFixed(1)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
