/**
 * The study's third edit, patching an intrusion: a synthetic interview (`writeSynthClip`) into which
 * another person's fingers enter at the lower left (`paintIntrusion`); the edited frames erase them
 * over the background and paint the clothing over where they cover the speaker. Trains on `--picks`
 * edited frames and prints the held-out PSNR inside the fingers' region (where they are), against
 * doing nothing (the input itself) as the floor, then outside the region and over the whole frame
 * (also over the frames without fingers).
 *
 * With `--people K` the speaker is a real person instead (people-K of bench/people-clips.ts: a portrait
 * held out of the guided base, over a panning room), whose perfect edit is known exactly; `--bend F`
 * makes the head and shoulders lean and nod by themselves (non-rigid motion, by up to F of the side).
 *
 * With `--real <video>` the fingers enter real footage (decoded at 10 fps, cropped to 400): with
 * `--masks <dir>` (NNNNN.png, as ../shared/data/davis-dev has them) the perfect edit erases the
 * background by those masks (`--masks prior`: by the person prior's own mask of each clean frame, a
 * stand-in truth for an interview without masks), without it the edit only removes the fingers (a patch-only edit, for
 * footage without masks such as ../shared/data/talking). Real motion, unlike the people clips' rigid
 * portraits.
 *
 * Usage: node -r ts-node/register bench/patching.ts [--seconds 150] [--steps N] [--picks 2] [--frames 60] [--seed 7]
 *   [--people K [--bend F] | --real <video> [--masks <dir>]] [--base <ckpt>|none] [--guides a,b|none] [--alpha-loss W] [--no-prior-veto] [--no-paint] [--no-drop-strays | --drop-strays regions|pixels (by default pixels when the flow followed the edits)]
 *   [--round-trip D (default 3; 0: picks train with the far guides only)] [--lr R] [--keep <dir> [--reuse]]
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { from, lastValueFrom } from 'rxjs';
import sharp from 'sharp';
import { makeFrame } from '../src/pipeline/frame';
import { encodeVideo } from '../src/stages/encode-video';
import { paintIntrusion } from '../src/data/synth/paint-intrusion';
import { PersonPrior } from '../src/prior/person-prior';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFrames } from '../src/stages/collect-frames';
import { readMaskImage, readRgbImage } from '../src/eval/read-image';
import { summarize } from '../src/eval/summarize';
import { processVideo } from '../src/jobs/process-video';
import { writeSynthClip } from '../src/data/synth/write-synth-clip';
import { pngFileName } from '../src/stages/write-png-sequence';
import { arg } from './arg';
import { maskedPsnr } from './masked-psnr';
import { paintFingers, somePeople, writePeopleClip } from './people-clips';

/** A clip with fingers in it: the video, its picks file, and folders of perfect edits and of the fingers' region. */
interface PatchClip {
  readonly video: string;
  readonly picksFile: string;
  readonly truthDir: string;
  readonly regionDir: string;
}

/** The synthetic interview (procedural speaker and backdrop) with the fingers. */
async function synthClip(work: string, frames: number, picks: number[], intrusion: { start: number; span: number }): Promise<PatchClip> {
  const clip = await writeSynthClip(work, { frames, picks, intrusion, seed: Number(arg('seed', '7')) });
  return { video: clip.video, picksFile: clip.picksFile, truthDir: clip.truthDir, regionDir: clip.intrusionDir! };
}

/** A real person (../shared/data/people, held out of the guided base) over a panning room, with the fingers. */
async function peopleClip(work: string, frames: number, picks: number[], intrusion: { start: number; span: number }, which: number): Promise<PatchClip> {
  const person = (await somePeople(which + 1))[which]!;
  const bend = Number(arg('bend', '0'));
  await writePeopleClip(work, person, 100 + which, { frames, size: 400, intrusion, ...(bend > 0 ? { bend } : {}) });
  const picksFile = join(work, 'picks.txt');
  writeFileSync(picksFile, picks.map((i) => `truth/${pngFileName(i)}`).join('\n') + '\n');
  return { video: join(work, 'clip.mp4'), picksFile, truthDir: join(work, 'truth'), regionDir: join(work, 'region') };
}

/** Real footage with the fingers painted in; the whole of each frame kept where there are no masks. */
async function realClip(work: string, video: string, masks: string, frames: number, picks: number[], intrusion: { start: number; span: number }): Promise<PatchClip> {
  const decoded = await collectFrames(video, [...Array(frames).keys()], { fps: 10, crop: 400 });
  for (const dir of ['truth', 'region', 'masks']) await mkdir(join(work, dir), { recursive: true });
  const out = [];
  const prior = masks === 'prior' ? await PersonPrior.load() : undefined;
  for (let t = 0; t < frames; t++) {
    const frame = decoded.get(t);
    if (frame === undefined) throw new Error(`${video} has fewer than ${frames} frames at 10 fps; pass --frames`);
    const name = `${String(t).padStart(5, '0')}.png`;
    const truth = prior
      ? (await prior.probability([frame]))[0]!.map((v) => (v >= 128 ? 255 : 0))
      : masks === ''
        ? new Uint8Array(400 * 400).fill(255)
        : (await readMaskImage(join(masks, name))).data;
    await sharp(truth, { raw: { width: 400, height: 400, channels: 1 } }).png().toFile(join(work, 'masks', name));
    const data = Uint8Array.from(frame.data);
    await paintFingers(work, pngFileName(t), data, truth, paintIntrusion(t, 400, 400, intrusion), 400);
    out.push(makeFrame(t, t / 10, 400, 400, data));
  }
  prior?.dispose();
  const clipVideo = join(work, 'clip.mp4');
  await lastValueFrom(from(out).pipe(encodeVideo(clipVideo, { fps: 10, crf: 16, overwrite: true })));
  const picksFile = join(work, 'picks.txt');
  writeFileSync(picksFile, picks.map((i) => `truth/${pngFileName(i)}`).join('\n') + '\n');
  return { video: clipVideo, picksFile, truthDir: join(work, 'truth'), regionDir: join(work, 'region') };
}

async function main() {
  const frames = Number(arg('frames', '60'));
  const seconds = Number(arg('seconds', '150'));
  const steps = Number(arg('steps', '100000'));
  const pickCount = Number(arg('picks', '2'));
  const people = arg('people', '');
  const work = arg('keep', '') || mkdtempSync(join(tmpdir(), 'vidgan-patching-'));
  const intrusion = { start: 4, span: frames - 8 };
  // Picks where the hand is in: spread over the middle of its visit.
  const picks = Array.from({ length: pickCount }, (_, i) => Math.round(intrusion.start + ((i + 1) * intrusion.span) / (pickCount + 1)));
  const real = arg('real', '');
  const clip =
    real !== ''
      ? await realClip(work, real, arg('masks', ''), frames, picks, intrusion)
      : people === ''
        ? await synthClip(work, frames, picks, intrusion)
        : await peopleClip(work, frames, picks, intrusion, Number(people));
  const base = arg('base', '');
  const guides = arg('guides', '');
  // --reuse (with --keep): apply the model a run saved there again, to score it without training.
  const saved = join(work, 'out.mp4.model.safetensors');
  const reuse = process.argv.includes('--reuse') && existsSync(saved);
  const report = await processVideo({
    video: clip.video,
    picks: clip.picksFile,
    out: join(work, reuse ? 'again.mp4' : 'out.mp4'),
    framesOut: join(work, 'frames'),
    overwrite: true,
    ...(process.argv.includes('--no-prior-veto') ? { priorVeto: false } : {}),
    ...(process.argv.includes('--no-paint') ? { paint: false } : {}),
    ...(process.argv.includes('--no-drop-strays') ? { dropStrays: false } : {}),
    ...(arg('drop-strays', '') === 'regions' || arg('drop-strays', '') === 'pixels' ? { dropStrays: arg('drop-strays', '') as 'regions' | 'pixels' } : {}),
    ...(arg('round-trip', '') !== '' ? { roundTrip: Number(arg('round-trip', '')) } : {}),
    ...(arg('neighbours', '') !== '' ? { neighbours: Number(arg('neighbours', '')) } : {}),
    ...(reuse
      ? { model: saved }
      : {
          ...(base !== '' ? { base } : {}),
          ...(guides !== '' ? { guides: guides === 'none' ? [] : guides.split(','), ...(guides === 'none' ? { alphaPriorGuide: null } : {}) } : {}),
          training: { trainSeconds: seconds, steps, ...(arg('lr', '') !== '' ? { learningRate: Number(arg('lr', '')) } : {}), ...(arg('alpha-loss', '') !== '' ? { alphaLoss: Number(arg('alpha-loss', '')) } : {}) },
        }),
  });
  const inputs = await collectFrames(clip.video, [...Array(frames).keys()], { fps: 10, crop: 400 });
  // Inside the fingers' region, and its two parts: over the background (to erase) and over the speaker
  // (to paint over), told apart by the perfect edit being white there.
  const parts = { all: [] as number[], background: [] as number[], speaker: [] as number[] };
  const nothing: number[] = [];
  // The rest of the frame: what painting (or the drill) must not damage elsewhere.
  const outside: number[] = [];
  // The whole frame, over every held-out frame and over those without fingers (what the drill did to
  // the speaker where nothing was to be patched).
  const whole: number[] = [], wholeWithout: number[] = [];
  const everything = new Uint8Array(400 * 400).fill(255);
  for (let i = 0; i < frames; i++) {
    if (picks.includes(i)) continue;
    const region = (await readMaskImage(join(clip.regionDir, pngFileName(i)))).data;
    const truth = (await readRgbImage(join(clip.truthDir, pngFileName(i)))).data;
    const out = (await readRgbImage(join(work, 'frames', pngFileName(i)))).data;
    whole.push(maskedPsnr(out, truth, everything));
    if (!region.some((v) => v >= 128)) {
      wholeWithout.push(whole[whole.length - 1]!);
      continue;
    }
    const white = region.map((v, p) => (v >= 128 && truth[p * 3]! === 255 && truth[p * 3 + 1]! === 255 && truth[p * 3 + 2]! === 255 ? 255 : 0));
    const speaker = region.map((v, p) => (v >= 128 && white[p] === 0 ? 255 : 0));
    parts.all.push(maskedPsnr(out, truth, region));
    if (white.some((v) => v > 0)) parts.background.push(maskedPsnr(out, truth, white));
    if (speaker.some((v) => v > 0)) parts.speaker.push(maskedPsnr(out, truth, speaker));
    nothing.push(maskedPsnr(inputs.get(i)!.data, truth, region));
    outside.push(maskedPsnr(out, truth, region.map((v) => (v >= 128 ? 0 : 255))));
  }
  const m = summarize(parts.all), z = summarize(nothing);
  const part = (name: keyof typeof parts) => (parts[name].length === 0 ? 'n/a' : `${summarize(parts[name]).mean.toFixed(2)} dB`);
  console.log(
    `patching (${real !== '' ? real : people === '' ? 'synthetic speaker' : `people-${people}`}): picks ${picks.join(',')} of ${frames}, base ${report.modelSource}, ` +
      `${report.training ? `train ${report.training.trainSeconds.toFixed(0)} s (${report.training.stepsThisRun} steps)` : 'model reused'}, stream ${report.framesPerSecond.toFixed(1)} frames/s; held-out PSNR inside the fingers' region over ${parts.all.length} frames: ` +
      `${m.mean.toFixed(2)} dB (min ${m.min.toFixed(2)}; over the background ${part('background')}, over the speaker ${part('speaker')}); ` +
      `doing nothing: ${z.mean.toFixed(2)} dB; outside the region ${summarize(outside).mean.toFixed(2)} dB; ` +
      `whole frame ${summarize(whole).mean.toFixed(2)} dB (over the ${wholeWithout.length} frames without fingers ${wholeWithout.length === 0 ? 'n/a' : `${summarize(wholeWithout).mean.toFixed(2)} dB`}). Frames in ${join(work, 'frames')}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
