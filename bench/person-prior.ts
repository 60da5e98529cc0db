/**
 * Person prior benchmark: milliseconds per 400x400 frame (resize in, the network, resize out) for the
 * general and landscape models at batch 1 and 2, best and median of a few runs after a warm-up, and
 * the load time (read the .tflite, translate, build the native graph). Optionally renders the
 * probability map of a video frame to a PNG: `--render VIDEO@SECONDS OUT.png`.
 *
 * Usage: npx ts-node bench/person-prior.ts [--render VIDEO@SECONDS OUT.png]
 * The graph runs on the engine's torch thread with libtorch's default thread count.
 */
import { execFileSync } from 'child_process';
import sharp from 'sharp';
import { loadBinding } from '../src/gan/binding';
import { makeFrame, type Frame } from '../src/pipeline/frame';
import { PersonPrior, type PersonPriorModel } from '../src/prior/person-prior';

const SIZE = 400;

/** The centred square of a video frame, scaled to SIZE x SIZE. */
function videoFrame(video: string, seconds: number): Frame {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const rgb = execFileSync(ffmpeg, ['-v', 'error', '-ss', String(seconds), '-i', video, '-frames:v', '1', '-vf',
    `crop='min(iw,ih)':'min(iw,ih)',scale=${SIZE}:${SIZE}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  return makeFrame(0, seconds, SIZE, SIZE, new Uint8Array(rgb));
}

/** A synthetic frame with structure, so activations are not constant. */
function patternFrame(index: number): Frame {
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < SIZE; i++)
    for (let j = 0; j < SIZE; j++) {
      const o = (i * SIZE + j) * 3;
      const inside = (i - 250) ** 2 / 3 + (j - 200 - index) ** 2 < 90 ** 2;
      data.set(inside ? [180, 120, 100] : [(j * 3) % 256, (i * 2) % 256, (i + j) % 256], o);
    }
  return makeFrame(index, index, SIZE, SIZE, data);
}

/**
 * Wall time (best and median) and the process's CPU time per run. On a shared machine wall time
 * counts the time other processes hold the cores; CPU time (user + system, all threads) is close to
 * what the run takes on a quiet core when one thread works.
 */
async function timeMs(fn: () => Promise<unknown>, runs: number): Promise<{ best: number; median: number; cpu: number }> {
  await fn();
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, cpu: (cpu.user + cpu.system) / 1000 / runs };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  console.log(`libtorch ${loadBinding().torchVersion}, ${SIZE}x${SIZE} frames`);
  const frames = [patternFrame(0), patternFrame(1)];
  for (const model of ['general', 'landscape'] as PersonPriorModel[]) {
    const loadStart = process.hrtime.bigint();
    const prior = await PersonPrior.load({ model });
    const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
    const one = await timeMs(() => prior.probability(frames.slice(0, 1)), 20);
    const two = await timeMs(() => prior.probability(frames), 10);
    console.log(
      `${model} (${prior.inputWidth}x${prior.inputHeight}): load ${loadMs.toFixed(0)} ms; ` +
        `batch 1: ${one.best.toFixed(1)} ms best, ${one.median.toFixed(1)} ms median, ${one.cpu.toFixed(1)} ms CPU; ` +
        `batch 2: ${(two.best / 2).toFixed(1)} ms/frame best, ${(two.median / 2).toFixed(1)} ms/frame median, ${(two.cpu / 2).toFixed(1)} ms CPU/frame`,
    );
    prior.dispose();
  }
  const renderAt = args.indexOf('--render');
  if (renderAt >= 0) {
    const [video, seconds] = args[renderAt + 1]!.split('@') as [string, string];
    const out = args[renderAt + 2]!;
    const frame = videoFrame(video, Number(seconds));
    const prior = await PersonPrior.load();
    const [plane] = await prior.probability([frame]);
    prior.dispose();
    // The frame, the probability, and the frame with the background dimmed where the prior says no person.
    const dimmed = new Uint8Array(frame.data.length);
    for (let i = 0; i < plane!.length; i++) for (let c = 0; c < 3; c++) dimmed[3 * i + c] = Math.round(frame.data[3 * i + c]! * (0.2 + (0.8 * plane![i]!) / 255));
    const grey = new Uint8Array(frame.data.length);
    for (let i = 0; i < plane!.length; i++) grey.fill(plane![i]!, 3 * i, 3 * i + 3);
    const panels = [frame.data, grey, dimmed].map((d) => ({ input: Buffer.from(d), raw: { width: SIZE, height: SIZE, channels: 3 as const } }));
    await sharp({ create: { width: SIZE * 3, height: SIZE, channels: 3, background: 'black' } })
      .composite(panels.map((p, i) => ({ ...p, left: i * SIZE, top: 0 })))
      .png()
      .toFile(out);
    console.log(`wrote ${out}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
