import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveModelOptions, type ModelOptions } from '../../src/gan/model-options';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { CheckpointError } from '../../src/pipeline/errors';

const root = path.resolve(__dirname, '..', '..');

interface RawTensor {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A safetensors file written by hand, so its header can say anything. */
async function writeRaw(file: string, tensors: Record<string, RawTensor>, options: ModelOptions, dataBytes: number): Promise<void> {
  const metadata = {
    'vidgan.format': '1',
    'vidgan.kind': 'generator',
    'vidgan.preset': options.preset,
    'vidgan.options': JSON.stringify(options),
    'vidgan.step': '0',
    'vidgan.seed': '0',
    'vidgan.weight_dtype': 'f32',
  };
  const header = Buffer.from(JSON.stringify({ __metadata__: metadata, ...tensors }), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  await fs.writeFile(file, Buffer.concat([length, header, Buffer.alloc(dataBytes, 1)]));
}

/** Loads `file` in a fresh Node process and reports the error it gave and the process's peak memory. */
function loadInChild(file: string): { name: string; code: string; message: string; maxRssMB: number } {
  // The peak of this process's own memory: VmHWM (getrusage's maxRSS would also count the jest
  // process that forked it, which Linux carries across exec).
  const script = `
    const peakKB = () => {
      try { return Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); }
      catch { return process.resourceUsage().maxRSS; }
    };
    const { Pix2Pix } = require(${JSON.stringify(path.join(root, 'src', 'gan', 'pix2pix.ts'))});
    Pix2Pix.load(process.argv[1]).then(
      () => { console.log(JSON.stringify({ name: 'loaded' })); },
      (err) => { console.log(JSON.stringify({ name: err.name, code: err.code, message: err.message, maxRssMB: peakKB() / 1024 })); },
    );`;
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script, file], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the child failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidgan-hostile-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Pix2Pix.load (hostile checkpoints)', () => {
  const fast = resolveModelOptions({ preset: 'fast' });
  const FOUR_MB = 4 * 1024 * 1024;

  it('refuses 400 tensors pointing at the same bytes before reading them, with peak memory under 300 MB', async () => {
    const file = path.join(dir, 'overlap.safetensors');
    const tensors: Record<string, RawTensor> = {};
    for (let i = 0; i < 400; i++) tensors[`generator.t${i}`] = { dtype: 'F32', shape: [FOUR_MB / 4], data_offsets: [0, FOUR_MB] };
    await writeRaw(file, tensors, fast, FOUR_MB);

    const result = loadInChild(file);
    expect(result.name).toBe('CheckpointError');
    expect(result.code).toBe('CHECKPOINT_INVALID');
    expect(result.message).toMatch(
      /^\/.*overlap\.safetensors is not a safetensors checkpoint \(tensor generator\.t\d+ \(bytes 0-4194304\) overlaps the tensor before it, which ends at 4194304\)\./,
    );
    expect(result.maxRssMB).toBeLessThan(300);

    const err = await Pix2Pix.load(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
  });

  it('refuses metadata naming a huge architecture by comparing sizes, before allocating it', async () => {
    // Within the option rules (ngf up to 512, depth up to 10): about 1.1 billion generator parameters.
    const huge = resolveModelOptions({ preset: 'fast', ngf: 512, depth: 10 });
    const file = path.join(dir, 'huge.safetensors');
    await writeRaw(file, { 'generator.down0.conv.weight': { dtype: 'F32', shape: [FOUR_MB / 4], data_offsets: [0, FOUR_MB] } }, huge, FOUR_MB);

    const result = loadInChild(file);
    expect(result.name).toBe('CheckpointError');
    expect(result.code).toBe('CHECKPOINT_INVALID');
    expect(result.message).toMatch(
      /^Checkpoint huge\.safetensors names the fast \(ngf 512, ndf 16, depth 10, .*\) architecture, whose generator state needs at least \d+ MB of tensor data, but the file holds 4\.19 MB\. It is damaged or was not written by vidgan; save it again from vidgan\.$/,
    );
    expect(result.maxRssMB).toBeLessThan(300);
  });

  it('refuses an architecture outside the option rules (ngf 4096, depth 9) as unreadable options', async () => {
    const file = path.join(dir, 'wide.safetensors');
    const wide = { ...fast, ngf: 4096, depth: 9 };
    await writeRaw(file, { 'generator.down0.conv.weight': { dtype: 'F32', shape: [FOUR_MB / 4], data_offsets: [0, FOUR_MB] } }, wide, FOUR_MB);

    const result = loadInChild(file);
    expect(result.name).toBe('CheckpointError');
    expect(result.code).toBe('CHECKPOINT_INVALID');
    expect(result.message).toBe(
      'Checkpoint wide.safetensors has unreadable model options (Expected integer between 1 and 512 for model.ngf but received 4096).',
    );
    expect(result.maxRssMB).toBeLessThan(300);
  });

  it('refuses tensors with gaps between them, or bytes past the last one', async () => {
    const gap = path.join(dir, 'gap.safetensors');
    await writeRaw(gap, { 'generator.a': { dtype: 'U8', shape: [4], data_offsets: [0, 4] }, 'generator.b': { dtype: 'U8', shape: [4], data_offsets: [8, 12] } }, fast, 12);
    let err = (await Pix2Pix.load(gap).catch((e: unknown) => e)) as CheckpointError;
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe(`${gap} is not a safetensors checkpoint (its data has a gap: tensor generator.b begins at byte 8, not 4). Give the path of a .safetensors file saved by vidgan.`);

    const trailing = path.join(dir, 'trailing.safetensors');
    await writeRaw(trailing, { 'generator.a': { dtype: 'U8', shape: [4], data_offsets: [0, 4] } }, fast, 100);
    err = (await Pix2Pix.load(trailing).catch((e: unknown) => e)) as CheckpointError;
    expect(err.code).toBe('CHECKPOINT_INVALID');
    expect(err.message).toBe(
      `${trailing} is not a safetensors checkpoint (its tensors cover 4 bytes of data but the file holds 100 after the header). Give the path of a .safetensors file saved by vidgan.`,
    );
  });

  it('refuses a tensor whose byte length does not match its dtype and shape', async () => {
    const file = path.join(dir, 'short.safetensors');
    await writeRaw(file, { 'generator.a': { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, fast, 8);
    const err = (await Pix2Pix.load(file).catch((e: unknown) => e)) as CheckpointError;
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe(`${file} is not a safetensors checkpoint (tensor generator.a spans 8 bytes but shape [3] F32 needs 12). Give the path of a .safetensors file saved by vidgan.`);
  });

  it('names a tensor the architecture does not have, before building the model', async () => {
    const file = path.join(dir, 'foreign.safetensors');
    const tiny = resolveModelOptions({ preset: 'fast', ngf: 1, ndf: 1, depth: 2 });
    // Enough bytes for the architecture, under a name it does not have.
    await writeRaw(file, { 'generator.extra': { dtype: 'F32', shape: [4096], data_offsets: [0, 16384] } }, tiny, 16384);
    const err = (await Pix2Pix.load(file).catch((e: unknown) => e)) as CheckpointError;
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toBe(
      'Checkpoint foreign.safetensors holds tensor generator.extra, which the fast (ngf 1, ndf 1, depth 2, discLayers 3, norm instance, decoder upsample, upsampleMode nearest, head composite) model does not have.',
    );
  });
});
