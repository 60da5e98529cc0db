import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import { type Frame, makeFrame } from '../../src/pipeline/frame';
import { encodeVideo } from '../../src/stages/encode-video';
import { resolveFfmpegPath } from '../../src/stages/ffmpeg/ffmpeg-path';
import { OUTPUT_FORMATS, type OutputFormatName } from '../../src/stages/ffmpeg/output-format';
import { runFfmpeg } from '../../src/stages/ffmpeg/spawn-ffmpeg';
import { tempDir } from './helpers';

const SIZE = 64;
const FRAMES = 4;

/** Frame `i`: coloured stripes, and an alpha disc whose radius grows with `i` (opaque inside). */
function frameWithAlpha(i: number): Frame {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  const alpha = new Uint8Array(SIZE * SIZE);
  const radius = 12 + 4 * i;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = y * SIZE + x;
      rgb.set([(x * 4) & 255, (y * 4) & 255, 128], p * 3);
      alpha[p] = (x - 32) ** 2 + (y - 32) ** 2 < radius ** 2 ? 255 : 0;
    }
  }
  return { ...makeFrame(i, i / 10, SIZE, SIZE, rgb), alpha };
}

/** The video stream line of `ffmpeg -i` (decoded with `decoder` when given), as codec and pixel format. */
async function streamOf(file: string, decoder?: string): Promise<{ codec: string; pixelFormat: string; stderr: string }> {
  const { stderr } = await runFfmpeg(['-hide_banner', ...(decoder ? ['-c:v', decoder] : []), '-i', file]);
  const match = /Stream #0:0.*?: Video: (\w+)[^,]*, (\w+)/.exec(stderr);
  return { codec: match?.[1] ?? '', pixelFormat: match?.[2] ?? '', stderr };
}

/** Decodes every frame's alpha plane back, as `width * height` bytes per frame. */
function decodeAlpha(file: string, decoder?: string): Buffer {
  // format=rgba first: alphaextract then yields the 8-bit alpha exactly, with no range conversion.
  return execFileSync(
    resolveFfmpegPath(),
    ['-hide_banner', '-loglevel', 'error', ...(decoder ? ['-c:v', decoder] : []), '-i', file, '-vf', 'format=rgba,alphaextract', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Intersection over union of the opaque parts (alpha > 127) of two alpha planes. */
function opaqueIoU(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = (a[i] as number) > 127;
    const inB = (b[i] as number) > 127;
    if (inA && inB) both++;
    if (inA || inB) either++;
  }
  return either === 0 ? 1 : both / either;
}

async function encode(name: OutputFormatName): Promise<{ dir: string; out: string; frames: Frame[] }> {
  const dir = tempDir();
  const out = join(dir, `clip${OUTPUT_FORMATS[name].extension}`);
  const frames = [...Array(FRAMES).keys()].map(frameWithAlpha);
  const last = await lastValueFrom(from(frames).pipe(encodeVideo(out, { format: name })));
  expect(last).toEqual({ path: out, framesWritten: FRAMES, timeSec: FRAMES / 10, done: true });
  expect(readdirSync(dir)).toEqual([`clip${OUTPUT_FORMATS[name].extension}`]);
  return { dir, out, frames };
}

function expectAlphaBack(decoded: Buffer, frames: readonly Frame[]): void {
  expect(decoded.length).toBe(FRAMES * SIZE * SIZE);
  for (const [i, frame] of frames.entries()) {
    const back = decoded.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
    expect(opaqueIoU(back, frame.alpha!)).toBeGreaterThanOrEqual(0.99);
  }
}

describe('encodeVideo formats', () => {
  it('writes mp4-h264 as H.264 yuv420p, dropping alpha', async () => {
    const { out } = await encode('mp4-h264');
    expect(await streamOf(out)).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p' });
  });

  it('writes mov-prores4444 as ProRes 4444 with an alpha plane that decodes back', async () => {
    const { out, frames } = await encode('mov-prores4444');
    const stream = await streamOf(out);
    expect(stream.codec).toBe('prores');
    expect(stream.stderr).toMatch(/prores \(4444\)/);
    // Written as yuva444p10le; ffmpeg's ProRes decoder reports its output format (yuva444p10le or 12le).
    expect(stream.pixelFormat).toMatch(/^yuva444p1[02]le$/);
    expectAlphaBack(decodeAlpha(out), frames);
  });

  it('writes webm-vp9 as VP9 yuva420p tagged alpha_mode=1, with an alpha plane that decodes back', async () => {
    const { out, frames } = await encode('webm-vp9');
    // ffmpeg's own VP9 decoder ignores the alpha side data; libvpx decodes it.
    const stream = await streamOf(out, 'libvpx-vp9');
    expect(stream).toMatchObject({ codec: 'vp9', pixelFormat: 'yuva420p' });
    expect(stream.stderr).toMatch(/ALPHA_MODE\s*: 1/);
    expectAlphaBack(decodeAlpha(out, 'libvpx-vp9'), frames);
  });
});
