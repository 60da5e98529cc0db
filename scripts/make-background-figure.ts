/**
 * Renders docs/images/backgrounds.png: one frame of an interview, background erased by the bundled
 * base (composite head), put over white, black and a picture, each with a 3x close-up of an edge
 * (hair and shoulder) below it, to check by eye that no white halo shows. Also renders
 * docs/images/halo.png: a shoulder of a synthetic clip over black, 3x, composited the naive way (the
 * white frame times alpha) and the way `replaceBackground` does it.
 *
 * Run: npx ts-node scripts/make-background-figure.ts [--video ../shared/data/talking/interview-a.mp4] [--at 2.0]
 *
 * The picture behind the subject is a room painted by vidgan's procedural backgrounds (data/synth),
 * written as a PNG and read back through the picture path (scaled to cover, centred): the repository
 * holds no third-party photographs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, lastValueFrom, of, take } from 'rxjs';
import sharp from 'sharp';
import { paintBackground } from '../src/data/synth/paint-background';
import { writeSynthClip } from '../src/data/synth/write-synth-clip';
import { createSynthRng } from '../src/data/synth/synth-rng';
import { Pix2Pix } from '../src/gan/pix2pix';
import type { Frame } from '../src/pipeline/frame';
import { decodeVideo } from '../src/stages/decode-video';
import { generate } from '../src/stages/generate';
import { replaceBackground } from '../src/stages/replace-background';
import { trimWhiteEdges } from '../src/stages/trim-white-edges';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const SIZE = 400;
const ZOOM = 3;

async function main(): Promise<void> {
  const video = arg('video', join(__dirname, '../../shared/data/talking/interview-a.mp4'));
  const at = Number(arg('at', '2.0'));
  const out = arg('out', join(__dirname, '../docs/images/backgrounds.png'));
  const work = mkdtempSync(join(tmpdir(), 'vidgan-figure-'));
  const fps = 10;
  const input = await lastValueFrom(decodeVideo(video, { fps, crop: SIZE }).pipe(filter((f) => f.index === Math.round(at * fps)), take(1)));
  const model = await model0();
  const made = await lastValueFrom(of(input).pipe(generate(model), trimWhiteEdges()));
  model.dispose();

  const room = paintBackground(createSynthRng(7), 600, 450, { kind: 'room' });
  const roomPng = join(work, 'room.png');
  await sharp(Buffer.from(room.rgb.map((v) => Math.round(v * 255))), { raw: { width: 600, height: 450, channels: 3 } }).png().toFile(roomPng);

  const panels: Frame[] = [];
  for (const background of ['white', 'black', roomPng]) panels.push(await lastValueFrom(of(made).pipe(replaceBackground(background, { fps }))));

  // Close-up: the 80x80 square around the edge where the hair meets the backdrop, right of the head.
  const edge = findEdge(made);
  const tiles: sharp.OverlayOptions[] = [];
  for (const [i, panel] of panels.entries()) {
    const image = sharp(Buffer.from(panel.data), { raw: { width: SIZE, height: SIZE, channels: 3 } });
    tiles.push({ input: await image.clone().png().toBuffer(), left: i * (SIZE + 8), top: 0 });
    const zoom = await image
      .extract({ left: edge.x, top: edge.y, width: 80, height: 80 })
      .resize(80 * ZOOM, 80 * ZOOM, { kernel: 'nearest' })
      .png()
      .toBuffer();
    tiles.push({ input: zoom, left: i * (SIZE + 8) + (SIZE - 80 * ZOOM) / 2, top: SIZE + 8 });
  }
  await sharp({ create: { width: 3 * SIZE + 16, height: SIZE + 8 + 80 * ZOOM, channels: 3, background: '#808080' } })
    .composite(tiles)
    .png()
    .toFile(out);
  await haloFigure(work, model0(), join(out, '..', 'halo.png'));
  rmSync(work, { recursive: true, force: true });
  console.log(`wrote ${out} (frame ${input.index} of ${video}; close-ups at x ${edge.x}, y ${edge.y})`);
}

function model0(): Promise<Pix2Pix> {
  return Pix2Pix.load(join(__dirname, '../models/base.safetensors'));
}

/** The naive composite (white frame times alpha) beside vidgan's, over black, on a synthetic clip's shoulder. */
async function haloFigure(work: string, loading: Promise<Pix2Pix>, out: string): Promise<void> {
  const clip = await writeSynthClip(join(work, 'clip'), { frames: 6, seed: 4 });
  const input = await lastValueFrom(decodeVideo(clip.video, { fps: 10, crop: SIZE }).pipe(filter((f) => f.index === 5), take(1)));
  const model = await loading;
  const made = await lastValueFrom(of(input).pipe(generate(model)));
  model.dispose();
  const alpha = made.alpha!;
  const naive = made.data.map((v, i) => Math.round((v * (alpha[Math.floor(i / 3)] as number)) / 255));
  const ours = (await lastValueFrom(of(made).pipe(trimWhiteEdges(), replaceBackground('black')))).data;
  const crop = { left: 220, top: 200, width: 120, height: 120 };
  const tiles = await Promise.all(
    [naive, ours].map(async (rgb, i) => ({
      input: await sharp(Buffer.from(rgb), { raw: { width: SIZE, height: SIZE, channels: 3 } })
        .extract(crop)
        .resize(120 * ZOOM, 120 * ZOOM, { kernel: 'nearest' })
        .png()
        .toBuffer(),
      left: i * (120 * ZOOM + 8),
      top: 0,
    })),
  );
  await sharp({ create: { width: 2 * 120 * ZOOM + 8, height: 120 * ZOOM, channels: 3, background: '#808080' } })
    .composite(tiles)
    .png()
    .toFile(out);
}

/** The top-left of an 80x80 square centred on the subject's right edge, a third of the way down. */
function findEdge(frame: Frame): { x: number; y: number } {
  const alpha = frame.alpha!;
  const y = Math.round(SIZE / 3);
  let x = SIZE - 1;
  while (x > 0 && (alpha[y * SIZE + x] as number) < 128) x--;
  return { x: Math.min(SIZE - 80, Math.max(0, x - 40)), y: y - 40 };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
