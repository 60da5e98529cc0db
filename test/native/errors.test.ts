import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readCheckpoint, writeCheckpoint } from '../../src/gan/checkpoint';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { writeSafetensors } from '../../src/gan/safetensors';
import {
  CheckpointError,
  EngineError,
  InvalidOptionError,
  TrainingDivergedError,
  VidganError,
} from '../../src/pipeline/errors';
import { discPairs } from './frames';

const SMALL = { ngf: 8, ndf: 8, depth: 4, threads: 1 } as const;

let dir: string;
let model: Pix2Pix;
let saved: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidgan-errors-'));
  model = await Pix2Pix.create({ ...SMALL, seed: 1 });
  saved = path.join(dir, 'ok.safetensors');
  await model.save(saved);
});
afterAll(async () => {
  model.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<VidganError> {
  try {
    await promise;
  } catch (err) {
    return err as VidganError;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): VidganError {
  try {
    fn();
  } catch (err) {
    return err as VidganError;
  }
  throw new Error('expected a throw');
}

describe('Pix2Pix errors', () => {
  it('rejects a buffer that does not match the sizes', async () => {
    const err = await rejection(model.trainStep({ inputs: new Uint8Array(100), targets: new Uint8Array(100), count: 1, height: 64, width: 64 }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toBe('Expected 12288 bytes (1 x 64 x 64 x 3 RGB) for trainStep.inputs but received 100');
  });

  it('rejects targets of another size than the inputs', async () => {
    const pairs = discPairs(1, 64, 64);
    const err = await rejection(model.trainStep({ ...pairs, targets: new Uint8Array(5) }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe('Expected 12288 bytes (1 x 64 x 64 x 3 RGB) for trainStep.targets but received 5');
  });

  it('rejects an empty batch', async () => {
    const err = await rejection(model.generate(new Uint8Array(0), 0, 64, 64));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toBe('Expected integer between 1 and 4096 for generate.count but received 0');
  });

  it('rejects training frames too small for the PatchGAN', async () => {
    const pairs = discPairs(1, 16, 16);
    const err = await rejection(model.trainStep(pairs));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe('Expected integer between 32 and 8192 for trainStep.height but received 16');
  });

  it('rejects alpha from an rgb head', async () => {
    const rgbModel = await Pix2Pix.create({ ...SMALL, head: 'rgb' });
    const err = await rejection(rgbModel.generate(new Uint8Array(12), 1, 2, 2, { alpha: true }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toMatch(/alpha was asked for but the model's head is 'rgb'/);
    rgbModel.dispose();
  });

  it('rejects options outside their rule and unknown presets', async () => {
    let err = await rejection(Pix2Pix.create({ ngf: 0 }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe('Expected integer between 1 and 512 for model.ngf but received 0');
    err = await rejection(Pix2Pix.create({ preset: 'huge' }));
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toBe("Expected one of 'pix2pix-unet256', 'fast' for model.preset but received 'huge'");
    err = thrown(() => model.setLearningRate(-1));
    expect(err.message).toBe('Expected number between 0 and 1 for learningRate but received -1');
  });

  it('says cuda is unavailable when the linked libtorch has none', async () => {
    if (Pix2Pix.cudaAvailable()) {
      const gpu = await Pix2Pix.create({ ...SMALL, device: 'cuda' });
      expect(gpu.device).toBe('cuda');
      gpu.dispose();
      return;
    }
    const err = await rejection(Pix2Pix.create({ ...SMALL, device: 'cuda' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('ENGINE_ERROR');
    expect(err.message).toMatch(/^Device 'cuda' was asked for, but the linked libtorch 1\.\d+\.\d+ has no CUDA/);
    expect(err.message).toMatch(/LIBTORCH=\/path\/to\/libtorch-with-cuda npm run build:native/);
  });

  it('refuses calls on a disposed model', async () => {
    const gone = await Pix2Pix.create(SMALL);
    gone.dispose();
    const err = await rejection(gone.generate(new Uint8Array(3), 1, 1, 1));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toBe('This Pix2Pix model was disposed; create or load a new one.');
  });

  it('reports a diverged step and does not count it', async () => {
    // Poison one generator weight with NaN through a checkpoint: the generated frames, then the losses, are NaN.
    const file = path.join(dir, 'nan.safetensors');
    const contents = await readCheckpoint(saved);
    const weight = contents.tensors.find((t) => t.name === 'generator.down0.conv.weight');
    (weight as { data: Float32Array }).data[0] = NaN;
    await writeCheckpoint(file, { ...contents.info, kind: 'full', tensors: contents.tensors, rngState: contents.rngState });
    const poisoned = await Pix2Pix.load(file);
    const err = await rejection(poisoned.trainStep(discPairs(1, 64, 64)));
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect(err.code).toBe('TRAINING_DIVERGED');
    expect(err.message).toBe(
      'Training diverged: Discriminator loss is nan at step 1; that update was not applied. Lower the learning rate (--learning-rate), or check that the edited frames match their source frames.',
    );
    expect(poisoned.step).toBe(0);
    poisoned.dispose();
  });
});

describe('Pix2Pix checkpoints errors', () => {
  it('names a missing file', async () => {
    const file = path.join(dir, 'nope.safetensors');
    const err = await rejection(Pix2Pix.load(file));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.code).toBe('CHECKPOINT_INVALID');
    expect(err.message).toBe(`Checkpoint ${file} does not exist. Check the path, or train a model and save it first.`);
  });

  it('detects a truncated file', async () => {
    const file = path.join(dir, 'cut.safetensors');
    const bytes = await fs.readFile(saved);
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 1000));
    const err = await rejection(Pix2Pix.load(file));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe(
      `Checkpoint ${file} is truncated: it needs ${bytes.length} bytes but holds ${bytes.length - 1000}. ` +
        'The save was probably interrupted or the copy is incomplete; save or copy it again.',
    );
  });

  it('detects a foreign file', async () => {
    const file = path.join(dir, 'notes.txt');
    await fs.writeFile(file, 'these are not tensors, just a text file of some length');
    const err = await rejection(Pix2Pix.readCheckpointInfo(file));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(new RegExp(`^${file} is not a safetensors checkpoint \\(its first 8 bytes announce a \\d+-byte header\\)`));
  });

  it('detects a safetensors file that vidgan did not write', async () => {
    const file = path.join(dir, 'other.safetensors');
    await writeSafetensors(file, [{ name: 'w', dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }], { source: 'elsewhere' });
    const err = await rejection(Pix2Pix.load(file));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe(
      `${file} is a safetensors file but not a vidgan checkpoint (its metadata has no vidgan.format). Give a checkpoint saved by vidgan.`,
    );
  });

  it('names both architectures on a mismatch', async () => {
    const other = await Pix2Pix.create({ ...SMALL, ngf: 16 });
    const err = await rejection(other.loadCheckpoint(saved));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe(
      'Checkpoint ok.safetensors holds preset fast (ngf 8, ndf 8, depth 4, discLayers 3, norm instance, decoder upsample, ' +
        'upsampleMode nearest, head composite) but the model is fast (ngf 16, ndf 8, depth 4, discLayers 3, norm instance, ' +
        "decoder upsample, upsampleMode nearest, head composite). Load it with Pix2Pix.load() to get its own architecture, or create the model with preset 'fast'.",
    );
    const viaLoad = await rejection(Pix2Pix.load(saved, { expect: { preset: 'pix2pix-unet256' } }));
    expect(viaLoad).toBeInstanceOf(CheckpointError);
    expect(viaLoad.message).toMatch(/^Checkpoint ok\.safetensors holds preset fast \(ngf 8,.*but the model is pix2pix-unet256 \(ngf 64, ndf 64, depth 8,/);
    other.dispose();
  });

  it('loads matching weights into an existing model', async () => {
    const same = await Pix2Pix.create({ ...SMALL, seed: 99 });
    const frame = discPairs(1, 64, 64).inputs;
    await same.loadCheckpoint(saved);
    const a = await same.generate(frame, 1, 64, 64);
    const b = await model.generate(frame, 1, 64, 64);
    expect(Buffer.compare(a.rgb, b.rgb)).toBe(0);
    same.dispose();
  });

  it('rejects a checkpoint that lacks tensors', async () => {
    const file = path.join(dir, 'partial.safetensors');
    const contents = await readCheckpoint(saved);
    await writeCheckpoint(file, { ...contents.info, kind: 'full', tensors: contents.tensors.slice(1) });
    const err = await rejection(Pix2Pix.load(file));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/^Checkpoint partial\.safetensors lacks 1 tensor\(s\) of a full checkpoint, e\.g\. generator\.down0\.conv\.weight\./);
  });
});
