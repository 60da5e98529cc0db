/**
 * How far painting an intrusion from the picks could go, before building it: on a folder that
 * `bench/patching.ts --people K --keep <dir>` left (its output frames, perfect edits, the fingers'
 * region, the speaker's masks and the picks), each held-out frame's fingers' region is painted with the
 * nearest pick's perfect edit moved by the speaker's translation (the change of the true mask's
 * centroid), and white where the perfect edit is white (`--keep-background`: the output's own pixels
 * there instead). Region and translation come from the truth, so the figure is an upper bound for a
 * stage that carries the picks' painted pixels along the flow and moves them by the speaker's motion.
 *
 * `--flow` replaces the truth by one DIS flow (`medium`) from the frame to its nearest pick: the region
 * is the pick's painted pixels (edit not white and more than `--threshold` levels, default 40, from the
 * pick's frame; `--close R` closes them with a (2R+1)^2 box within the speaker) warped
 * onto the frame, and the translation the median flow over the pick's speaker warped there, outside that
 * region; the output keeps its own pixels elsewhere. `--chain` carries them frame to frame instead, as
 * the propagator carries the edits' alpha, summing the per-step translations.
 *
 * The stage this pointed to exists now (src/patch/, on by default): `bench/patching.ts` measures it.
 *
 * Usage: node -r ts-node/register bench/patching-oracle.ts <dir> [--keep-background] [--flow | --chain [--threshold 40] [--close 0]]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMaskImage, readRgbImage } from '../src/eval/read-image';
import { computeFlow } from '../src/flow/compute-flow';
import { greyPlane } from '../src/flow/grey-plane';
import { warpPlane } from '../src/flow/warp-plane';
import { collectFrames } from '../src/stages/collect-frames';
import { summarize } from '../src/eval/summarize';
import { pngFileName } from '../src/stages/write-png-sequence';
import { arg } from './arg';
import { maskedPsnr } from './masked-psnr';
import { close as closeMask } from '../src/patch/binary-morphology';

/** The centroid of the speaker's true mask in frame `index` (masks/NNNNN.png, as bench/people-clips.ts writes them). */
async function centroid(dir: string, index: number): Promise<{ x: number; y: number }> {
  const { data, width } = await readMaskImage(join(dir, 'masks', `${String(index).padStart(5, '0')}.png`));
  let x = 0, y = 0, n = 0;
  for (let p = 0; p < data.length; p++) {
    if (data[p]! < 128) continue;
    x += p % width;
    y += Math.floor(p / width);
    n++;
  }
  return { x: x / n, y: y / n };
}

/**
 * Flow from frame `t` to its pick along `path` (frames from t to the pick: two with one direct flow, every
 * frame between them for the chain): where the pick's painted pixels land on `t`, and the speaker's
 * translation from `t` to the pick (per step, the median flow over the pick's speaker carried that far,
 * outside the carried painted pixels; summed).
 */
async function byFlow(path: readonly Uint8Array[], edit: Uint8Array, width: number, height: number, threshold: number, close: number) {
  const size = width * height;
  const pickFrame = path[path.length - 1]!;
  let painted: Uint8Array = new Uint8Array(size), alpha: Uint8Array = new Uint8Array(size);
  for (let q = 0; q < size; q++) {
    const white = edit[q * 3]! > 230 && edit[q * 3 + 1]! > 230 && edit[q * 3 + 2]! > 230;
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(edit[q * 3 + c]! - pickFrame[q * 3 + c]!));
    alpha[q] = white ? 0 : 255;
    painted[q] = !white && d > threshold ? 255 : 0;
  }
  if (close > 0) {
    // Closing (a (2r+1)^2 box's max, then min), kept inside the speaker: fills the painted area's holes.
    const closed = closeMask(painted, width, height, close);
    for (let q = 0; q < size; q++) painted[q] = alpha[q] ? closed[q]! : 0;
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
  let dx = 0, dy = 0;
  for (let i = path.length - 2; i >= 0; i--) {
    const flow = await computeFlow(greyPlane(path[i]!, width, height), greyPlane(path[i + 1]!, width, height), { preset: 'medium' });
    painted = (await warpPlane({ width, height, data: painted }, flow)).data;
    alpha = (await warpPlane({ width, height, data: alpha }, flow)).data;
    const dxs: number[] = [], dys: number[] = [];
    for (let q = 0; q < size; q++) {
      if (alpha[q]! < 200 || painted[q]! >= 30) continue;
      dxs.push(flow.data[2 * q]!);
      dys.push(flow.data[2 * q + 1]!);
    }
    dx += median(dxs);
    dy += median(dys);
  }
  return { region: painted.map((v) => (v >= 128 ? 1 : 0)), dx: -Math.round(dx), dy: -Math.round(dy) };
}

async function main() {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('Usage: bench/patching-oracle.ts <dir left by bench/patching.ts --keep>');
  const keepBackground = process.argv.includes('--keep-background');
  const picks = readFileSync(join(dir, 'picks.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => Number(/(\d+)\.png$/.exec(l)![1]));
  const frames = readdirSync(join(dir, 'region')).length;
  const chain = process.argv.includes('--chain');
  const threshold = Number(arg('threshold', '40'));
  const close = Number(arg('close', '0'));
  const useFlow = chain || process.argv.includes('--flow');
  const inputs = useFlow ? await collectFrames(join(dir, 'clip.mp4'), [...Array(frames).keys()], { fps: 10, crop: 400 }) : undefined;
  const scores = { output: [] as number[], painted: [] as number[], speakerOutput: [] as number[], speakerPainted: [] as number[] };
  for (let t = 0; t < frames; t++) {
    if (picks.includes(t)) continue;
    const region = (await readMaskImage(join(dir, 'region', pngFileName(t)))).data;
    if (!region.some((v) => v >= 128)) continue;
    const { data: truth, width, height } = await readRgbImage(join(dir, 'truth', pngFileName(t)));
    const out = (await readRgbImage(join(dir, 'frames', pngFileName(t)))).data;
    const pick = picks.reduce((a, b) => (Math.abs(b - t) < Math.abs(a - t) ? b : a));
    const edit = (await readRgbImage(join(dir, 'truth', pngFileName(pick)))).data;
    const [here, there] = [await centroid(dir, t), await centroid(dir, pick)];
    const step = pick > t ? 1 : -1;
    const path = chain ? Array.from({ length: Math.abs(pick - t) + 1 }, (_, k) => t + k * step) : [t, pick];
    const carried = inputs && (await byFlow(path.map((i) => inputs.get(i)!.data), edit, width, height, threshold, close));
    const dx = carried ? carried.dx : Math.round(here.x - there.x), dy = carried ? carried.dy : Math.round(here.y - there.y);
    const painted = Uint8Array.from(out);
    const inRegion = new Uint8Array(width * height), onSpeaker = new Uint8Array(width * height);
    const paint = (q: number) => {
      const x = (q % width) - dx, y = Math.floor(q / width) - dy;
      if (x >= 0 && y >= 0 && x < width && y < height) painted.set(edit.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), q * 3);
    };
    for (let q = 0; q < width * height; q++) {
      if (carried?.region[q]) paint(q);
      if (region[q]! < 128) continue;
      inRegion[q] = 255;
      if (truth[q * 3] === 255 && truth[q * 3 + 1] === 255 && truth[q * 3 + 2] === 255) {
        if (!keepBackground && !carried) painted.fill(255, q * 3, q * 3 + 3);
        continue;
      }
      onSpeaker[q] = 255;
      if (!carried) paint(q);
    }
    scores.output.push(maskedPsnr(out, truth, inRegion));
    scores.painted.push(maskedPsnr(painted, truth, inRegion));
    scores.speakerOutput.push(maskedPsnr(out, truth, onSpeaker));
    scores.speakerPainted.push(maskedPsnr(painted, truth, onSpeaker));
  }
  const mean = (list: number[]) => summarize(list.filter((v) => !Number.isNaN(v))).mean.toFixed(2);
  console.log(
    `patching oracle (${dir}, picks ${picks.join(',')}): inside the fingers' region over ${scores.output.length} held-out frames ` +
      `output ${mean(scores.output)} dB -> painted ${mean(scores.painted)} dB; over the speaker part ${mean(scores.speakerOutput)} -> ${mean(scores.speakerPainted)} dB` +
      (chain ? ' (region and translation carried frame to frame from the nearest pick)' : useFlow ? ' (region and translation from one flow to the nearest pick)' : keepBackground ? ' (background part: the output)' : ' (background part: white)'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
