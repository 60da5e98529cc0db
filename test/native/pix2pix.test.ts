import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { discPairs, meanAbsDiff } from './frames';

// Small networks at 64x64 keep each test to a few seconds. One thread: at this size a second one
// gains little, and it loses a lot when other processes share the cores.
const SMALL = { ngf: 8, ndf: 8, depth: 4, threads: 1 } as const;

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidgan-engine-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function train(model: Pix2Pix, steps: number, pairs = discPairs(4, 64, 64)) {
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push(await model.trainStep(pairs));
  return losses;
}

describe('Pix2Pix', () => {
  it('overfits a handful of pairs', async () => {
    const pairs = discPairs(4, 64, 64);
    const model = await Pix2Pix.create({ ...SMALL, seed: 1 });
    const losses = await train(model, 200, pairs);
    // L1 is on the [-1, 1] scale. Copying the input (the trivial answer) scores about 1.0 here and an
    // untrained net about 0.5; below 0.1 (13 grey levels on average) means the edit was learnt:
    // backgrounds near white, discs kept. A broken gradient path or optimiser leaves it near 0.5.
    const copyL1 = meanAbsDiff(pairs.inputs, pairs.targets) / 127.5;
    expect(copyL1).toBeGreaterThan(0.8);
    expect(losses[0].l1).toBeGreaterThan(0.3);
    expect(losses[losses.length - 1].l1).toBeLessThan(0.1);
    const { rgb } = await model.generate(pairs.inputs, pairs.count, pairs.height, pairs.width);
    expect(meanAbsDiff(rgb, pairs.targets)).toBeLessThan(15);
    expect(model.step).toBe(200);
    model.dispose();
  });

  it('gives identical output after save and load', async () => {
    const pairs = discPairs(2, 64, 64);
    const model = await Pix2Pix.create({ ...SMALL, seed: 2 });
    await train(model, 3, pairs);
    const file = path.join(dir, 'saved.safetensors');
    await model.save(file, { metadata: { made: 'test' } });
    const loaded = await Pix2Pix.load(file, { threads: 1 });
    const a = await model.generate(pairs.inputs, 2, 64, 64, { alpha: true });
    const b = await loaded.generate(pairs.inputs, 2, 64, 64, { alpha: true });
    expect(Buffer.compare(a.rgb, b.rgb)).toBe(0);
    expect(Buffer.compare(a.alpha as Uint8Array, b.alpha as Uint8Array)).toBe(0);
    expect(loaded.step).toBe(3);
    expect(loaded.options).toEqual(model.options);
    model.dispose();
    loaded.dispose();
  });

  it('generates with the weights the last training step wrote, not those of an earlier generate', async () => {
    // Inference keeps derived weights (the decoder's folded kernels) between calls: a training step
    // in between must invalidate them, or the model would keep drawing with its old weights.
    const pairs = discPairs(2, 64, 64);
    const model = await Pix2Pix.create({ ...SMALL, seed: 5 });
    const before = await model.generate(pairs.inputs, 2, 64, 64, { alpha: true });
    await train(model, 3, pairs);
    const after = await model.generate(pairs.inputs, 2, 64, 64, { alpha: true });
    const file = path.join(dir, 'after-steps.safetensors');
    await model.save(file);
    const fresh = await Pix2Pix.load(file, { threads: 1 });
    const expected = await fresh.generate(pairs.inputs, 2, 64, 64, { alpha: true });
    expect(meanAbsDiff(before.rgb, expected.rgb)).toBeGreaterThan(1);
    expect(Buffer.compare(after.rgb, expected.rgb)).toBe(0);
    expect(Buffer.compare(after.alpha as Uint8Array, expected.alpha as Uint8Array)).toBe(0);
    model.dispose();
    fresh.dispose();
  });

  it('ships a generator-only checkpoint, in half precision too', async () => {
    const pairs = discPairs(1, 64, 64);
    const model = await Pix2Pix.create({ ...SMALL, seed: 3 });
    await train(model, 2, pairs);
    const full = path.join(dir, 'g32.safetensors');
    const half = path.join(dir, 'g16.safetensors');
    await model.save(full, { generatorOnly: true });
    await model.save(half, { generatorOnly: true, halfPrecision: true });
    const a = await model.generate(pairs.inputs, 1, 64, 64);
    const loaded = await Pix2Pix.load(full);
    expect(Buffer.compare((await loaded.generate(pairs.inputs, 1, 64, 64)).rgb, a.rgb)).toBe(0);
    expect(loaded.step).toBe(0);
    // It trains: a fresh discriminator and optimisers were made for it.
    await loaded.trainStep(pairs);
    const halfLoaded = await Pix2Pix.load(half);
    expect(meanAbsDiff((await halfLoaded.generate(pairs.inputs, 1, 64, 64)).rgb, a.rgb)).toBeLessThan(1);
    expect((await fs.stat(half)).size).toBeLessThan((await fs.stat(full)).size * 0.6);
    expect((await Pix2Pix.readCheckpointInfo(half)).weightDtype).toBe('f16');
    for (const m of [model, loaded, halfLoaded]) m.dispose();
  });

  it('resumes training exactly where a saved run stopped', async () => {
    // Dropout and an EMA are on so the random state and every optimiser tensor must round-trip.
    // One thread: oneDNN's multi-threaded reductions may sum in another order between runs.
    const options = { ngf: 8, ndf: 8, depth: 6, dropout: 0.5, emaDecay: 0.9, threads: 1, seed: 7 };
    const pairs = discPairs(2, 64, 64);
    const straight = await Pix2Pix.create(options);
    const first = await train(straight, 3, pairs);
    const file = path.join(dir, 'resume.safetensors');
    await straight.save(file);
    const expected = await train(straight, 3, pairs);

    const again = await Pix2Pix.create(options);
    expect(await train(again, 3, pairs)).toEqual(first);
    const resumed = await Pix2Pix.load(file, { threads: 1 });
    expect(await train(resumed, 3, pairs)).toEqual(expected);
    expect(resumed.step).toBe(6);
    for (const m of [straight, again, resumed]) m.dispose();
  });

  it('keeps an EMA of a loaded checkpoint when asked: it starts from the loaded weights and trails the training', async () => {
    const pairs = discPairs(2, 64, 64);
    const trained = await Pix2Pix.create({ ...SMALL, seed: 5 });
    await train(trained, 3, pairs);
    const file = path.join(dir, 'no-ema.safetensors');
    await trained.save(file, { generatorOnly: true });
    const plain = await Pix2Pix.load(file, { threads: 1 });
    const averaged = await Pix2Pix.load(file, { threads: 1, emaDecay: 0.5 });
    expect(averaged.options.emaDecay).toBe(0.5);
    const before = await plain.generate(pairs.inputs, 2, 64, 64);
    // Before any step the average is the loaded generator.
    expect(Buffer.compare((await averaged.generate(pairs.inputs, 2, 64, 64)).rgb, before.rgb)).toBe(0);
    await train(plain, 2, pairs);
    await train(averaged, 2, pairs);
    const raw = (await plain.generate(pairs.inputs, 2, 64, 64)).rgb;
    const ema = (await averaged.generate(pairs.inputs, 2, 64, 64)).rgb;
    // The same steps from the same weights: the average lies between where it started and where they went.
    expect(meanAbsDiff(ema, before.rgb)).toBeGreaterThan(0);
    expect(meanAbsDiff(ema, before.rgb)).toBeLessThan(meanAbsDiff(raw, before.rgb));
    const saved = path.join(dir, 'ema.safetensors');
    await averaged.save(saved);
    const reloaded = await Pix2Pix.load(saved, { threads: 1 });
    expect(reloaded.options.emaDecay).toBe(0.5);
    expect(Buffer.compare((await reloaded.generate(pairs.inputs, 2, 64, 64)).rgb, ema)).toBe(0);
    await expect(Pix2Pix.load(file, { emaDecay: 1 })).rejects.toThrow(/emaDecay/);
    for (const m of [trained, plain, averaged, reloaded]) m.dispose();
  });

  it('generates deterministically, with batch norm and dropout models too', async () => {
    const pairs = discPairs(2, 64, 64);
    const model = await Pix2Pix.create({ ...SMALL, depth: 6, norm: 'batch', dropout: 0.5, head: 'rgb', seed: 4 });
    await train(model, 2, pairs);
    const a = await model.generate(pairs.inputs, 2, 64, 64);
    const b = await model.generate(pairs.inputs, 2, 64, 64);
    expect(Buffer.compare(a.rgb, b.rgb)).toBe(0);
    // No batch statistics: a frame's output does not depend on the other frames of its batch.
    const alone = await model.generate(pairs.inputs.subarray(0, 64 * 64 * 3), 1, 64, 64);
    expect(meanAbsDiff(alone.rgb, a.rgb.subarray(0, 64 * 64 * 3))).toBeLessThan(0.01);
    model.dispose();
  });

  it.each(['upsample', 'transpose'] as const)('keeps the size of any input frame (%s decoder)', async (decoder) => {
    const model = await Pix2Pix.create({ ...SMALL, decoder, seed: 5 });
    for (const [h, w] of [
      [50, 70],
      [1, 1],
      [400, 400],
    ]) {
      const out = await model.generate(new Uint8Array(h * w * 3).fill(90), 1, h, w, { alpha: true });
      expect(out.rgb.length).toBe(h * w * 3);
      expect(out.alpha?.length).toBe(h * w);
    }
    // Training also works on sizes that are not a multiple of 2^depth.
    const pairs = discPairs(2, 50, 70);
    const first = await model.trainStep(pairs);
    for (let i = 0; i < 15; i++) await model.trainStep(pairs);
    expect((await model.trainStep(pairs)).l1).toBeLessThan(first.l1);
    model.dispose();
  });

  it('runs bf16 inference close to fp32', async () => {
    const frame = discPairs(1, 96, 96).inputs;
    const fp32 = await Pix2Pix.create({ ...SMALL, seed: 9 });
    const bf16 = await Pix2Pix.create({ ...SMALL, seed: 9, precision: 'bf16' });
    const a = await fp32.generate(frame, 1, 96, 96);
    const b = await bf16.generate(frame, 1, 96, 96);
    // bfloat16 keeps 8 bits of mantissa: expect well under one grey level on average, a few at most.
    expect(meanAbsDiff(a.rgb, b.rgb)).toBeLessThan(1);
    expect(Buffer.compare((await bf16.generate(frame, 1, 96, 96)).rgb, b.rgb)).toBe(0);
    fp32.dispose();
    bf16.dispose();
  });

  it('builds the paper generator with 54.4M parameters', async () => {
    const model = await Pix2Pix.create({ preset: 'pix2pix-unet256', threads: 2 });
    const counts = model.parameterCounts();
    expect(counts.generator).toBe(54_413_955);
    // The 70x70 PatchGAN on 6 channels with ndf 64.
    expect(counts.discriminator).toBe(2_768_705);
    expect(model.options.preset).toBe('pix2pix-unet256');
    model.dispose();
  });

  it('composites onto white: alpha 0 gives white', async () => {
    const model = await Pix2Pix.create({ ...SMALL, seed: 6 });
    const frame = discPairs(1, 64, 64);
    const out = await model.generate(frame.inputs, 1, 64, 64, { alpha: true });
    const alpha = out.alpha as Uint8Array;
    // rgb = alpha * fg + (1 - alpha) * 255 with fg in [0, 255]: every channel is at least (1 - alpha) * 255.
    for (let p = 0; p < alpha.length; p++) {
      const floor = (1 - alpha[p] / 255) * 255 - 1;
      for (let c = 0; c < 3; c++) expect(out.rgb[p * 3 + c]).toBeGreaterThanOrEqual(Math.floor(floor));
    }
    model.dispose();
  });

  it('uses a changed learning rate', async () => {
    const pairs = discPairs(1, 64, 64);
    const a = await Pix2Pix.create({ ...SMALL, seed: 8 });
    const b = await Pix2Pix.create({ ...SMALL, seed: 8 });
    b.setLearningRate(0);
    expect(b.learningRate).toBe(0);
    await a.trainStep(pairs);
    await b.trainStep(pairs);
    const before = await (await Pix2Pix.create({ ...SMALL, seed: 8 })).generate(pairs.inputs, 1, 64, 64);
    expect(Buffer.compare((await b.generate(pairs.inputs, 1, 64, 64)).rgb, before.rgb)).toBe(0);
    expect(Buffer.compare((await a.generate(pairs.inputs, 1, 64, 64)).rgb, before.rgb)).not.toBe(0);
    a.dispose();
    b.dispose();
  });
});
