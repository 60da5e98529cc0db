import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { loadPairFolder } from '../../src/data/load-pair-folder';
import { pretrain } from '../../src/drill/pretrain';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { BadInputError, CancelledError } from '../../src/pipeline/errors';
import { NO_TIME_LIMIT_S, tempDir } from '../integration/helpers';

const SIDE = 48;

async function png(path: string, width: number, height: number, fill: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(fill(x, y), (y * width + x) * 3);
  await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(path);
}

// A dark disc on a striped background, and the same disc on white.
const disc = (cx: number) => (x: number, y: number): [number, number, number] =>
  (x - cx) ** 2 + (y - SIDE / 2) ** 2 < 100 ? [60, 40, 30] : x % 8 < 4 ? [200, 120, 40] : [40, 140, 200];
const erased = (cx: number) => (x: number, y: number): [number, number, number] =>
  (x - cx) ** 2 + (y - SIDE / 2) ** 2 < 100 ? [60, 40, 30] : [255, 255, 255];

async function pairFolder(): Promise<string> {
  const dir = tempDir();
  mkdirSync(join(dir, 'input'));
  mkdirSync(join(dir, 'target'));
  for (const cx of [14, 24, 34]) {
    await png(join(dir, 'input', `p${cx}.png`), SIDE, SIDE, disc(cx));
    await png(join(dir, 'target', `p${cx}.png`), SIDE, SIDE, erased(cx));
  }
  return dir;
}

describe('loadPairFolder', () => {
  it('reads input/ and target/ matched by name', async () => {
    const pairs = await loadPairFolder(await pairFolder());
    expect(pairs).toHaveLength(3);
    expect(pairs[0]).toMatchObject({ width: SIDE, height: SIDE });
    expect(Array.from(pairs[0]!.target.slice(0, 3))).toEqual([255, 255, 255]);
  });

  it('splits side-by-side AB images', async () => {
    const dir = tempDir();
    await png(join(dir, 'ab.png'), 2 * SIDE, SIDE, (x, y) => (x < SIDE ? disc(24)(x, y) : erased(24)(x - SIDE, y)));
    const [pair] = await loadPairFolder(dir);
    expect(pair).toMatchObject({ width: SIDE, height: SIDE });
    expect(Array.from(pair!.input.slice(0, 3))).toEqual([200, 120, 40]);
    expect(Array.from(pair!.target.slice(0, 3))).toEqual([255, 255, 255]);
  });

  it('names an input without its target', async () => {
    const dir = await pairFolder();
    await png(join(dir, 'input', 'lonely.png'), SIDE, SIDE, disc(20));
    await expect(loadPairFolder(dir)).rejects.toThrow(/has no edited image for lonely\.png\. Each input\/NAME needs a target\/NAME\./);
  });

  it('refuses an empty or missing folder', async () => {
    await expect(loadPairFolder(tempDir())).rejects.toThrow(/holds no PNG or JPEG pairs/);
    const missing = loadPairFolder(join(tempDir(), 'nope'));
    await expect(missing).rejects.toBeInstanceOf(BadInputError);
    await expect(missing).rejects.toThrow(/Pairs folder .*nope cannot be read \(ENOENT\)/);
  });

  it('refuses an odd-width AB image', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    await png(join(dir, 'odd.png'), 2 * SIDE + 1, SIDE, disc(10));
    await expect(loadPairFolder(dir)).rejects.toThrow(/is 97x48: an AB pair image must hold two halves of equal width side by side/);
  });
});

describe('pretrain', () => {
  const small = { preset: 'fast', ngf: 8, ndf: 8, depth: 3, threads: 1 } as const;
  const training = { batchSize: 1, cropSize: 32, trainSeconds: NO_TIME_LIMIT_S };

  it('trains on a pairs folder and records how the model was made', async () => {
    const dir = await pairFolder();
    const out = join(tempDir(), 'base.safetensors');
    const report = await pretrain({ out, pairs: dir, model: small, training: { ...training, steps: 6 }, command: 'vidgan pretrain --test' });
    expect(report.pairs).toBe(3);
    expect(report.training.steps).toBe(6);
    const info = await Pix2Pix.readCheckpointInfo(out);
    expect(info.step).toBe(6);
    expect(info.metadata).toMatchObject({ made_by: 'vidgan pretrain --test', data_seed: '1' });
    // Relative to the working directory when beside it, else as given: either way it names the folder.
    expect(resolve(info.metadata.data!)).toBe(dir);
  });

  it('writes a checkpoint when cancelled, and resume continues from it', async () => {
    const out = join(tempDir(), 'base.safetensors');
    const controller = new AbortController();
    const rates: number[] = [];
    const first = pretrain({
      out,
      poolSize: 2,
      model: small,
      training: { ...training, steps: 10 },
      signal: controller.signal,
      onProgress: (p) => {
        rates.push(p.learningRate);
        if (p.step === 4) controller.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await expect(first).rejects.toThrow(/Training stopped at step 4\. The checkpoint is in .*base\.safetensors: run again with --resume/);
    expect((await Pix2Pix.readCheckpointInfo(out)).step).toBe(4);
    // Pretraining runs at the paper's 2e-4 (the bundled bases were made so), not the drills' 5e-4.
    expect(rates[0]).toBe(2e-4);

    const steps: number[] = [];
    const resumed = await pretrain({ out, poolSize: 2, resume: true, training: { ...training, steps: 10 }, onProgress: (p) => steps.push(p.step) });
    expect(steps[0]).toBe(5);
    expect(resumed.training.steps).toBe(10);
    expect((await Pix2Pix.readCheckpointInfo(out)).step).toBe(10);
  });

  it('trains a model with guides from pairs given the prior and a simulated flow guide, starting from a checkpoint', async () => {
    const dir = await pairFolder();
    const start = join(tempDir(), 'start.safetensors');
    const plain = await Pix2Pix.create({ ...small, seed: 3 });
    await plain.save(start, { generatorOnly: true });
    plain.dispose();
    const out = join(tempDir(), 'guided.safetensors');
    const report = await pretrain({
      out,
      pairs: dir,
      from: start,
      model: { ...small, guides: ['person-prior', 'flow-alpha'], alphaPriorGuide: 'flow-alpha' },
      training: { ...training, steps: 3 },
    });
    expect(report.training.steps).toBe(3);
    const info = await Pix2Pix.readCheckpointInfo(out);
    expect(info.options).toMatchObject({ guides: ['person-prior', 'flow-alpha'], alphaPriorGuide: 'flow-alpha', ngf: 8, depth: 3 });
    expect(resolve(info.metadata.started_from!)).toBe(start);
    expect(info.metadata.guide_data).toMatch(/simulateFlowAlpha/);
  });

  it('refuses a guide it cannot make for still pairs, before training', async () => {
    const out = join(tempDir(), 'never.safetensors');
    await expect(pretrain({ out, pairs: await pairFolder(), model: { ...small, guides: ['plate'] }, training: { ...training, steps: 1 } })).rejects.toThrow(
      /cannot get the guide 'plate': only person-prior and flow-alpha/,
    );
  });
});
