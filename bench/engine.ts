/**
 * Engine benchmark (`npm run bench`): for the default preset and pix2pix-unet256, the train step time
 * at 256x256 (batch 1 and the default batch), generator frames/s at 400x400 in fp32 and bf16, the
 * achieved GFLOP/s (convolution FLOPs counted analytically) next to the machine's fp32 peak, the bf16
 * output difference, the transpose vs upsample decoder split that justifies the default, and the
 * bundled guided base (the model a default job streams with: person prior and flow-alpha guides)
 * generating 400x400 frames one batch at a time on the torch thread and on two generation lanes at once,
 * as the generate stage runs it.
 *
 * Timings are the best of a few runs after a warm-up: the machine is shared, and the minimum is the
 * figure least disturbed by other work. Set BENCH_THREADS to change the thread count (default: all cores).
 */
import * as fs from 'fs';
import * as os from 'os';
import { DEFAULT_PRESET, type ModelOptions, PRESETS, resolveModelOptions } from '../src/gan/model-options';
import { Pix2Pix } from '../src/gan/pix2pix';
import { defaultBasePath, GUIDED_BASE_SPEC } from '../src/gan/default-base';

/** The batch size the drill uses by default; the benchmark reports it beside batch 1. */
const DEFAULT_BATCH = 4;
const THREADS = Number(process.env.BENCH_THREADS ?? os.cpus().length);

interface Timing {
  bestMs: number;
  medianMs: number;
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<Timing> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { bestMs: times[0], medianMs: times[Math.floor(times.length / 2)] };
}

/** A frame with structure (gradients and a disc), so activations are not trivially constant. */
function frames(count: number, height: number, width: number, shift = 0): Uint8Array {
  const out = new Uint8Array(count * height * width * 3);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const o = ((n * height + i) * width + j) * 3;
        const inside = (i - height / 2) ** 2 + (j - width / 3 - n * 7) ** 2 < (height / 4) ** 2;
        out[o] = inside ? 210 : (j + shift) % 256;
        out[o + 1] = inside ? 70 : (i * 2) % 256;
        out[o + 2] = (i + j + shift) % 256;
      }
    }
  }
  return out;
}

// ---- FLOP counting (multiply-adds x 2, convolutions only; norms and activations are not counted) ----

function paddedSide(side: number, depth: number): number {
  const multiple = 2 ** depth;
  return Math.ceil(side / multiple) * multiple;
}

/** Generator forward FLOPs for one frame. */
function generatorFlops(o: ModelOptions, height: number, width: number): number {
  const h = paddedSide(height, o.depth);
  const w = paddedSide(width, o.depth);
  const channels = (level: number) => o.ngf * Math.min(2 ** Math.min(level, 3), 8);
  const outChannels = o.head === 'composite' ? 4 : 3;
  let macs = 0;
  for (let i = 0; i < o.depth; i++) {
    const pixelsOut = (h / 2 ** (i + 1)) * (w / 2 ** (i + 1));
    macs += pixelsOut * (i === 0 ? 3 : channels(i - 1)) * channels(i) * 16;
  }
  for (let i = 0; i < o.depth; i++) {
    const cin = i === o.depth - 1 ? channels(i) : 2 * channels(i);
    const cout = i === 0 ? outChannels : channels(i - 1);
    const pixelsIn = (h / 2 ** (i + 1)) * (w / 2 ** (i + 1));
    const pixelsOut = (h / 2 ** i) * (w / 2 ** i);
    // ConvTranspose 4x4 s2: every input pixel meets cin*cout*16 weights (the CPU path computes it as a 3x3
    // convolution to 4 phases, 2.25x these MACs; counted here as the layer's own work); upsample + 3x3 conv:
    // every output pixel meets cin*cout*9.
    macs += o.decoder === 'transpose' ? pixelsIn * cin * cout * 16 : pixelsOut * cin * cout * 9;
  }
  return 2 * macs;
}

/** PatchGAN forward FLOPs for one 6-channel pair. */
function discriminatorFlops(o: ModelOptions, height: number, width: number): number {
  const conv = (side: number, stride: number) => Math.floor((side + 2 - 4) / stride) + 1;
  let h = height;
  let w = width;
  let cin = 6;
  let cout = o.ndf;
  let macs = 0;
  const layer = (stride: number) => {
    h = conv(h, stride);
    w = conv(w, stride);
    macs += h * w * cin * cout * 16;
  };
  layer(2);
  for (let n = 1; n <= o.discLayers; n++) {
    cin = cout;
    cout = o.ndf * Math.min(2 ** n, 8);
    layer(n < o.discLayers ? 2 : 1);
  }
  cin = cout;
  cout = 1;
  layer(1);
  return 2 * macs;
}

/**
 * Train step FLOPs per pair: G forward + backward (about 3 forwards); D runs three forwards (fake and
 * real for its loss, fake again for G's) and backward passes worth about five more.
 */
function trainFlops(o: ModelOptions, height: number, width: number): number {
  return 3 * generatorFlops(o, height, width) + 8 * discriminatorFlops(o, height, width);
}

/** fp32 peak from lscpu-style facts: cores x GHz x FLOPs/cycle. */
function fp32Peak(): { gflops: number; assumption: string } {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const flags = (cpuinfo.match(/^flags\s*:(.*)$/m) ?? ['', ''])[1];
  const mhz = Number((cpuinfo.match(/^cpu MHz\s*:\s*([\d.]+)/m) ?? ['', '0'])[1]) || os.cpus()[0]?.speed || 0;
  const cores = os.cpus().length;
  const perCycle = / avx512f/.test(flags) ? 64 : / avx2/.test(flags) && / fma/.test(flags) ? 32 : 8;
  const unit = perCycle === 64 ? 'AVX-512: 2 FMA units x 16 floats x 2' : perCycle === 32 ? 'AVX2: 2 FMA units x 8 floats x 2' : 'SSE, no FMA';
  return {
    gflops: (cores * mhz * perCycle) / 1000,
    assumption: `${cores} cores x ${(mhz / 1000).toFixed(2)} GHz x ${perCycle} FLOPs/cycle (${unit}; base clock, no turbo)`,
  };
}

// ---- measurements ----

interface PresetReport {
  trainBatch1: Timing;
  trainBatchDefault: Timing;
  generateFp32: Timing;
  generateBf16: Timing;
  bf16Difference: { meanGrey: number; maxGrey: number };
}

async function measurePreset(options: Partial<ModelOptions>, runs: { train: number; generate: number }): Promise<PresetReport> {
  const model = await Pix2Pix.create({ ...options, threads: THREADS, seed: 1 });
  const bf16 = await Pix2Pix.create({ ...options, precision: 'bf16', threads: THREADS, seed: 1 });
  const pair = (count: number) => ({ inputs: frames(count, 256, 256), targets: frames(count, 256, 256, 60), count, height: 256, width: 256 });
  const one = pair(1);
  const batch = pair(DEFAULT_BATCH);
  const trainBatch1 = await time(() => model.trainStep(one), runs.train);
  const trainBatchDefault = await time(() => model.trainStep(batch), Math.max(1, Math.floor(runs.train / 2)));
  // Give the bf16 model the trained weights, so both precisions run the same network.
  const file = `${os.tmpdir()}/vidgan-bench-${process.pid}.safetensors`;
  await model.save(file, { generatorOnly: true });
  await bf16.loadCheckpoint(file);
  fs.rmSync(file, { force: true });
  const frame = frames(1, 400, 400);
  const generateFp32 = await time(() => model.generate(frame, 1, 400, 400), runs.generate);
  const generateBf16 = await time(() => bf16.generate(frame, 1, 400, 400), runs.generate);
  const a = (await model.generate(frame, 1, 400, 400)).rgb;
  const b = (await bf16.generate(frame, 1, 400, 400)).rgb;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    max = Math.max(max, d);
  }
  model.dispose();
  bf16.dispose();
  return { trainBatch1, trainBatchDefault, generateFp32, generateBf16, bf16Difference: { meanGrey: sum / a.length, maxGrey: max } };
}

function fmt(t: Timing): string {
  return `${t.bestMs.toFixed(1)} ms (median ${t.medianMs.toFixed(1)})`;
}

function gflops(flops: number, t: Timing): string {
  return `${(flops / t.bestMs / 1e6).toFixed(1)} GFLOP/s`;
}

async function main(): Promise<void> {
  const peak = fp32Peak();
  console.log(`vidgan engine benchmark: ${os.cpus()[0]?.model ?? 'cpu'}, ${THREADS} threads, libtorch CPU`);
  console.log(`fp32 peak: ${peak.gflops.toFixed(0)} GFLOP/s = ${peak.assumption}`);
  // Other work on the same cores inflates every figure: say how busy the machine was.
  console.log(`load average at start: ${os.loadavg()[0].toFixed(2)} (${os.cpus().length} cores)\n`);
  if (process.argv.includes('--guided')) {
    // Only the figure the stream's speed target reads (npm run bench -- --guided).
    await measureGuidedBase();
    console.log(`\nload average at end: ${os.loadavg()[0].toFixed(2)}`);
    return;
  }

  const presets: Array<{ name: string; runs: { train: number; generate: number } }> = [
    { name: DEFAULT_PRESET, runs: { train: 6, generate: 10 } },
    // The paper's network is slow on a CPU (ConvTranspose2d takes libtorch's generic path): few runs.
    { name: 'pix2pix-unet256', runs: { train: 1, generate: 2 } },
  ];
  for (const { name, runs } of presets) {
    const o = resolveModelOptions({ preset: name });
    const g400 = generatorFlops(o, 400, 400);
    const t256 = trainFlops(o, 256, 256);
    const r = await measurePreset({ preset: name }, runs);
    console.log(`${name}${name === DEFAULT_PRESET ? ' (default)' : ''}: ngf ${o.ngf}, ndf ${o.ndf}, depth ${o.depth}, ` +
      `norm ${o.norm}, decoder ${o.decoder}, head ${o.head}`);
    console.log(`  train step 256x256 batch 1:  ${fmt(r.trainBatch1)}  ${gflops(t256, r.trainBatch1)} (${(t256 / 1e9).toFixed(2)} GFLOP)`);
    console.log(`  train step 256x256 batch ${DEFAULT_BATCH}:  ${fmt(r.trainBatchDefault)}  ${gflops(t256 * DEFAULT_BATCH, r.trainBatchDefault)}`);
    console.log(`  generate 400x400 fp32: ${(1000 / r.generateFp32.bestMs).toFixed(1)} frames/s, ${fmt(r.generateFp32)}  ` +
      `${gflops(g400, r.generateFp32)} (${(g400 / 1e9).toFixed(2)} GFLOP/frame)`);
    console.log(`  generate 400x400 bf16: ${(1000 / r.generateBf16.bestMs).toFixed(1)} frames/s, ${fmt(r.generateBf16)}  ` +
      `${gflops(g400, r.generateBf16)}`);
    console.log(`  bf16 vs fp32 output: mean ${r.bf16Difference.meanGrey.toFixed(3)}, max ${r.bf16Difference.maxGrey} grey levels\n`);
  }

  console.log(`decoder split (default preset otherwise; 400x400 generate fp32, 256x256 train step batch 1):`);
  for (const decoder of ['transpose', 'upsample'] as const) {
    const options = { ...PRESETS[DEFAULT_PRESET], preset: DEFAULT_PRESET, decoder };
    const model = await Pix2Pix.create({ ...options, threads: THREADS, seed: 1 });
    const frame = frames(1, 400, 400);
    const gen = await time(() => model.generate(frame, 1, 400, 400), 5);
    const pair = { inputs: frames(1, 256, 256), targets: frames(1, 256, 256, 60), count: 1, height: 256, width: 256 };
    const train = await time(() => model.trainStep(pair), 3);
    console.log(`  ${decoder.padEnd(9)}: generate ${fmt(gen)} (${gflops(generatorFlops(options, 400, 400), gen)}), ` +
      `train ${fmt(train)}`);
    model.dispose();
  }
  await measureGuidedBase();
  console.log(`\nload average at end: ${os.loadavg()[0].toFixed(2)}`);
}

/** The bundled guided base at 400x400, batch 2 as the generate stage sends it: one call at a time, then one on each lane. */
async function measureGuidedBase(): Promise<void> {
  const model = await Pix2Pix.load(defaultBasePath(GUIDED_BASE_SPEC), { threads: THREADS });
  const count = 2;
  const rgb = frames(count, 400, 400);
  const guides = new Uint8Array(count * model.guides.length * 400 * 400).map((_, i) => (i * 13) % 256);
  const call = (lane?: number) => model.generate(rgb, count, 400, 400, { alpha: true, guides, ...(lane === undefined ? {} : { lane }) });
  const lanes = model.lanes;
  const serial = await time(() => call(), 6);
  const together = await time(() => Promise.all(Array.from({ length: lanes }, (_, lane) => call(lane))), 6);
  const perFrame = (t: Timing, frames: number) => ({ bestMs: t.bestMs / frames, medianMs: t.medianMs / frames });
  const one = perFrame(serial, count);
  const both = perFrame(together, count * lanes);
  console.log(`\nbundled guided base (guides ${model.guides.join(', ')}), generate 400x400 batch ${count}, per frame:`);
  console.log(`  one call at a time (torch thread, ${THREADS} threads): ${(1000 / one.bestMs).toFixed(1)} frames/s, ${fmt(one)}`);
  console.log(`  ${lanes} generation lanes at once (the generate stage): ${(1000 / both.bestMs).toFixed(1)} frames/s, ${fmt(both)}`);
  model.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
