/**
 * CUDA check and benchmark (`node -r ts-node/register bench/cuda.ts`, on a machine whose libtorch has
 * CUDA): proves that the engine runs on the GPU and computes what it computes on the CPU, then times it.
 *
 * 1. Agreement: the bundled guided base (the default guides), on the CPU and on the GPU; the same
 *    frames and guides through both; mean and largest absolute difference of RGB and alpha (grey levels).
 * 2. Training: the same start and the same batches on both devices for a few steps (dropout masks come
 *    from the CPU generator, so both see the same ones); the L1 losses side by side, then the outputs.
 * 3. Speed: train step (batch 2, 256 crops, the drill's default) and generator frames/s at 400x400 in
 *    fp32 and bf16, batch 1 and 16, on the GPU, and the same on this machine's CPU.
 *
 * Exits 1 when the devices disagree by more than two grey levels on average (a broken port), so it can
 * gate a GPU run. BENCH_STEPS (default 20) sets the training steps compared.
 */
import * as os from 'os';
import { defaultBasePath } from '../src/gan/default-base';
import { Pix2Pix } from '../src/gan/pix2pix';
import { resolveGuideSpec } from '../src/guides/guide-kit';

const STEPS = Number(process.env.BENCH_STEPS ?? 20);
const SIDE = 400;
const CROP = 256;
const SPEC = resolveGuideSpec({});

/** Frames with structure: a disc (the "person") on gradients, moving with n. */
function frames(count: number, side: number, seed: number): Uint8Array {
  const out = new Uint8Array(count * side * side * 3);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        const o = ((n * side + i) * side + j) * 3;
        const inside = (i - side / 2) ** 2 + (j - side / 3 - (n + seed) * 7) ** 2 < (side / 4) ** 2;
        out[o] = inside ? 200 : (j * 3 + seed) % 256;
        out[o + 1] = inside ? 90 : (i * 2) % 256;
        out[o + 2] = (i + j + seed) % 256;
      }
    }
  }
  return out;
}

/** The disc as guide planes (every guide the same soft disc) and as a white-background target. */
function guidesAndTargets(inputs: Uint8Array, count: number, side: number, guideCount: number): { guides: Uint8Array; targets: Uint8Array } {
  const guides = new Uint8Array(count * guideCount * side * side);
  const targets = new Uint8Array(inputs.length);
  for (let n = 0; n < count; n++) {
    for (let p = 0; p < side * side; p++) {
      const o = (n * side * side + p) * 3;
      const person = inputs[o] === 200 && inputs[o + 1] === 90;
      for (let g = 0; g < guideCount; g++) guides[(n * guideCount + g) * side * side + p] = person ? 255 : 0;
      for (let c = 0; c < 3; c++) targets[o + c] = person ? inputs[o + c] : 255;
    }
  }
  return { guides, targets };
}

function difference(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}

async function bestMs(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

async function load(device: 'cpu' | 'cuda', precision: 'fp32' | 'bf16' = 'fp32'): Promise<Pix2Pix> {
  return Pix2Pix.loadWithGuides(defaultBasePath(SPEC), SPEC, { device, precision });
}

async function agreement(): Promise<number> {
  const count = 4;
  const inputs = frames(count, SIDE, 0);
  const { guides } = guidesAndTargets(inputs, count, SIDE, SPEC.guides.length);
  const [cpu, gpu] = [await load('cpu'), await load('cuda')];
  const a = await cpu.generate(inputs, count, SIDE, SIDE, { guides, alpha: true });
  const b = await gpu.generate(inputs, count, SIDE, SIDE, { guides, alpha: true });
  const rgb = difference(a.rgb, b.rgb);
  const alpha = difference(a.alpha!, b.alpha!);
  console.log(`agreement (base + guides, ${count} frames ${SIDE}x${SIDE}): rgb mean ${rgb.mean.toFixed(3)} max ${rgb.max}, alpha mean ${alpha.mean.toFixed(3)} max ${alpha.max} (grey levels)`);

  const batchInputs = frames(2, CROP, 3);
  const batch = { inputs: batchInputs, ...guidesAndTargets(batchInputs, 2, CROP, SPEC.guides.length), count: 2, height: CROP, width: CROP };
  const rows: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const [lc, lg] = [await cpu.trainStep(batch), await gpu.trainStep(batch)];
    if (step % 5 === 0 || step === STEPS - 1) rows.push(`${step}: ${lc.l1.toFixed(4)}/${lg.l1.toFixed(4)}`);
  }
  console.log(`training ${STEPS} steps, L1 cpu/cuda by step: ${rows.join('  ')}`);
  const c = await cpu.generate(inputs, count, SIDE, SIDE, { guides, alpha: true });
  const g = await gpu.generate(inputs, count, SIDE, SIDE, { guides, alpha: true });
  const trained = difference(c.rgb, g.rgb);
  console.log(`after training: rgb mean ${trained.mean.toFixed(3)} max ${trained.max}, alpha mean ${difference(c.alpha!, g.alpha!).mean.toFixed(3)}`);
  cpu.dispose();
  gpu.dispose();
  return Math.max(rgb.mean, alpha.mean);
}

async function speed(device: 'cpu' | 'cuda'): Promise<void> {
  const model = await load(device);
  const guideCount = SPEC.guides.length;
  const crops = frames(2, CROP, 5);
  const batch = { inputs: crops, ...guidesAndTargets(crops, 2, CROP, guideCount), count: 2, height: CROP, width: CROP };
  const stepMs = await bestMs(() => model.trainStep(batch), device === 'cuda' ? 20 : 3);
  const parts = [`train step (batch 2, ${CROP}): ${stepMs.toFixed(1)} ms (${(1000 / stepMs).toFixed(1)} steps/s)`];
  for (const precision of ['fp32', 'bf16'] as const) {
    const m = precision === 'fp32' ? model : await load(device, 'bf16');
    for (const count of [1, 16]) {
      const inputs = frames(count, SIDE, 1);
      const { guides } = guidesAndTargets(inputs, count, SIDE, guideCount);
      const ms = await bestMs(() => m.generate(inputs, count, SIDE, SIDE, { guides, alpha: true }), device === 'cuda' ? 10 : 2);
      parts.push(`generate ${precision} batch ${count}: ${((1000 * count) / ms).toFixed(1)} frames/s`);
    }
    if (m !== model) m.dispose();
  }
  model.dispose();
  console.log(`${device} (${device === 'cpu' ? `${os.cpus().length} cores` : 'GPU'}): ${parts.join('; ')}`);
}

async function main(): Promise<void> {
  if (!Pix2Pix.cudaAvailable()) {
    console.error('bench/cuda: the linked libtorch has no CUDA or sees no GPU; build with LIBTORCH=<a CUDA libtorch> npm run build:native');
    process.exit(2);
  }
  const worst = await agreement();
  await speed('cuda');
  await speed('cpu');
  if (worst > 2) {
    console.error(`bench/cuda: CPU and CUDA disagree by ${worst.toFixed(2)} grey levels on average`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
