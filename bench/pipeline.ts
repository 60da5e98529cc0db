/**
 * Pipeline benchmark: prints
 *  1. decode → crop → encode throughput at 400x400 from a 1080p source (crop inside ffmpeg, and
 *     with the TypeScript centerCrop stage), in output frames per second;
 *  2. encode throughput of each output format at 400x400 (H.264 .mp4, ProRes 4444 .mov and VP9
 *     .webm with alpha, a folder of RGBA PNGs), from frames held in memory, in frames per second;
 *  3. RSS over time while a deliberately slow stage (50 ms a frame) processes a 1-hour 10 fps
 *     source generated on the fly by lavfi, to show that memory stays flat.
 *
 * Run: npm run bench:pipeline [-- --memory-seconds 120] [-- --only formats]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, tap, type Subscription } from 'rxjs';
import {
  centerCrop,
  decodeVideo,
  encodeVideo,
  FrameBudget,
  makeFrame,
  mapFrames,
  OUTPUT_FORMAT_NAMES,
  OUTPUT_FORMATS,
  resolveFfmpegPath,
  writePngSequence,
  type Frame,
} from '../src';
import { arg } from './arg';

const work = mkdtempSync(join(tmpdir(), 'vidgan-bench-'));
const memorySeconds = Number(process.argv[process.argv.indexOf('--memory-seconds') + 1] ?? 120) || 120;

function makeSource1080p(path: string, seconds: number, rate: number): void {
  const started = Date.now();
  const result = spawnSync(resolveFfmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=${rate}:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p', path,
  ]);
  if (result.status !== 0) throw new Error(String(result.stderr));
  console.log(`source: 1920x1080, ${rate} fps, ${seconds} s (made in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function throughput(label: string, source: string, fps: number, cropInFfmpeg: boolean, preset: 'ultrafast' | 'veryfast'): Promise<void> {
  const budget = new FrameBudget(16);
  const out = join(work, `out-${label}.mp4`);
  const started = process.hrtime.bigint();
  const frames = decodeVideo(source, { fps, crop: cropInFfmpeg ? 400 : undefined, budget });
  const cropped = cropInFfmpeg ? frames : frames.pipe(centerCrop(400));
  let firstFrameAt: bigint | undefined;
  const report = await lastValueFrom(
    cropped.pipe(
      encodeVideo(out, { fps, budget, preset, overwrite: true }),
      tap(() => (firstFrameAt ??= process.hrtime.bigint())),
    ),
  );
  const ended = process.hrtime.bigint();
  const seconds = Number(ended - started) / 1e9;
  // Steady state: from the first frame written to the end, without probing and process start-up.
  const steady = Number(ended - (firstFrameAt ?? started)) / 1e9;
  console.log(
    `  ${label.padEnd(50)} ${report.framesWritten} frames in ${seconds.toFixed(2)} s = ` +
      `${(report.framesWritten / seconds).toFixed(0)} frames/s (steady ${((report.framesWritten - 1) / steady).toFixed(0)})`,
  );
}

/** 400x400 frames with a moving soft-edged disc of alpha over a gradient, like a matted subject. */
function alphaFrames(count: number): Frame[] {
  const size = 400;
  return Array.from({ length: count }, (_, i) => {
    const rgb = new Uint8Array(size * size * 3);
    const alpha = new Uint8Array(size * size);
    const cx = 150 + (i % 100);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const p = y * size + x;
        rgb.set([(x + i) & 255, (y * 2) & 255, (x ^ y) & 255], p * 3);
        const d = Math.hypot(x - cx, y - 200) - 120;
        alpha[p] = Math.round(255 * Math.min(1, Math.max(0, 0.5 - d / 8)));
      }
    }
    return makeFrame(i, i / 10, size, size, rgb, { alpha });
  });
}

async function formats(count: number): Promise<void> {
  console.log(`\nencode ${count} frames of 400x400 held in memory (alpha where the format keeps it), frames/s:`);
  const frames = alphaFrames(count);
  const time = async (label: string, run: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`  ${label.padEnd(50)} ${count} frames in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} frames/s`);
  };
  for (const name of OUTPUT_FORMAT_NAMES) {
    const format = OUTPUT_FORMATS[name];
    const out = join(work, `formats${format.extension}`);
    await time(`${format.label} (${format.pixelFormat})`, () => lastValueFrom(from(frames).pipe(encodeVideo(out, { format, overwrite: true }))));
  }
  await time('RGBA PNG folder (sharp, compression 3, 2 at once)', () => lastValueFrom(from(frames).pipe(writePngSequence(join(work, 'formats-png'), { alpha: true }))));
}

async function memory(seconds: number): Promise<void> {
  console.log(`\nRSS while a 50 ms/frame stage processes a 1-hour 10 fps lavfi source (testsrc2 1280x720, crop 400), ${seconds} s:`);
  const budget = new FrameBudget(16);
  const out = join(work, 'slow.mp4');
  const slow = mapFrames((frame: Frame) => new Promise<Frame>((resolve) => setTimeout(() => resolve(frame), 50)));
  let written = 0;
  const samples: Array<{ t: number; rssMb: number; childrenMb: number; frames: number }> = [];
  const started = Date.now();
  const subscription: Subscription = decodeVideo('testsrc2=size=1280x720:rate=10:duration=3600', {
    inputFormat: 'lavfi',
    crop: 400,
    budget,
  })
    .pipe(slow, encodeVideo(out, { budget, overwrite: true }))
    .subscribe({ next: (p) => (written = p.framesWritten), error: (e: unknown) => console.error(e) });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = Math.round((Date.now() - started) / 1000);
      samples.push({ t, rssMb: process.memoryUsage().rss / 2 ** 20, childrenMb: childrenRssMb(), frames: written });
      if (t >= seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 1000);
  });
  subscription.unsubscribe();
  const rss = samples.map((s) => s.rssMb);
  const firstHalf = rss.slice(5, Math.floor(rss.length / 2));
  const secondHalf = rss.slice(Math.floor(rss.length / 2));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  for (const s of samples.filter((_, i) => i % 10 === 0 || i === samples.length - 1)) {
    console.log(
      `  t=${String(s.t).padStart(4)} s  frames=${String(s.frames).padStart(5)}  node rss=${s.rssMb.toFixed(0)} MB  ffmpeg children rss=${s.childrenMb.toFixed(0)} MB`,
    );
  }
  console.log(
    `  node RSS min ${Math.min(...rss).toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB; ` +
      `ffmpeg children max ${Math.max(...samples.map((s) => s.childrenMb)).toFixed(0)} MB; ` +
      `mean ${mean(firstHalf).toFixed(0)} MB (t 5 s–half) vs ${mean(secondHalf).toFixed(0)} MB (second half); ` +
      `${written} frames at ${(written / seconds).toFixed(1)} frames/s (the 50 ms stage caps it at 20)`,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(`  after unsubscribe: partial output left behind: ${existsSync(join(work, 'slow.partial.mp4'))}`);
}

/** Resident memory of this process's children (the ffmpeg decoder and encoder), in MiB. */
function childrenRssMb(): number {
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    return out.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0) / 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  console.log(`vidgan pipeline benchmark (node ${process.version}, ${require('node:os').cpus().length} cores)`);
  if (arg('only', '') === 'formats') {
    await formats(Number(arg('frames', '100')));
    rmSync(work, { recursive: true, force: true });
    return;
  }
  const source = join(work, 'src-1080p25.mp4');
  makeSource1080p(source, 12, 25);
  console.log('decode → crop 400x400 → encode (H.264 yuv420p, crf 20), output frames/s:');
  await throughput('sampled at 10 fps, crop in ffmpeg, veryfast', source, 10, true, 'veryfast');
  await throughput('sampled at 10 fps, crop in ffmpeg, ultrafast', source, 10, true, 'ultrafast');
  await throughput('every frame (25 fps), crop in ffmpeg, veryfast', source, 25, true, 'veryfast');
  await throughput('every frame (25 fps), centerCrop stage, veryfast', source, 25, false, 'veryfast');
  await formats(Number(arg('frames', '100')));
  await memory(memorySeconds);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
