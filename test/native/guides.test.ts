import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { firstValueFrom, from, toArray } from 'rxjs';
import { defaultBasePath } from '../../src/gan/default-base';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { BadInputError, CheckpointError, InvalidOptionError, type VidganError } from '../../src/pipeline/errors';
import { makeFrame, type Frame } from '../../src/pipeline/frame';
import { generate } from '../../src/stages/generate';
import { discPairs } from './frames';

const SMALL = { preset: 'fast', ngf: 8, ndf: 8, depth: 4, threads: 1 } as const;
const SIDE = 32;
const PIXELS = SIDE * SIDE;

async function rejection(promise: Promise<unknown>): Promise<VidganError> {
  try {
    await promise;
  } catch (err) {
    return err as VidganError;
  }
  throw new Error('expected a rejection');
}

const plane = (value: number) => new Uint8Array(PIXELS).fill(value);
const mean = (bytes: Uint8Array) => bytes.reduce((a, b) => a + b, 0) / bytes.length;

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidgan-guides-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Pix2Pix with guides', () => {
  it('takes the guide planes after the RGB, trains on them, and needs them', async () => {
    const model = await Pix2Pix.create({ ...SMALL, guides: ['person-prior'], seed: 3 });
    expect(model.guides).toEqual(['person-prior']);
    const { inputs, targets } = discPairs(2, SIDE, SIDE);
    const guides = new Uint8Array(2 * PIXELS).map((_, i) => (i * 7) % 256);
    const losses = await model.trainStep({ inputs, guides, targets, count: 2, height: SIDE, width: SIDE });
    expect(Number.isFinite(losses.total)).toBe(true);

    const frame = inputs.subarray(0, PIXELS * 3);
    const dark = await model.generate(frame, 1, SIDE, SIDE, { guides: plane(0) });
    const bright = await model.generate(frame, 1, SIDE, SIDE, { guides: plane(255) });
    expect(Buffer.compare(dark.rgb, bright.rgb)).not.toBe(0);

    const err = await rejection(model.generate(frame, 1, SIDE, SIDE));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toBe(
      'generate: the model takes guides [person-prior], so generate.guides must be a Uint8Array of 1 x 1 x 32 x 32 bytes, but received none.',
    );
    const short = await rejection(model.trainStep({ inputs, guides: plane(1), targets, count: 2, height: SIDE, width: SIDE }));
    expect(short.message).toBe('Expected 2048 bytes (2 x 1 x 32 x 32 guide planes [person-prior]) for trainStep.guides but received 1024');
    model.dispose();
  });

  it('refuses guides for a model without them', async () => {
    const model = await Pix2Pix.create(SMALL);
    const err = await rejection(model.generate(new Uint8Array(PIXELS * 3), 1, SIDE, SIDE, { guides: plane(1) }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe('generate: guide planes were given but the model takes no guides; leave generate.guides out.');
    model.dispose();
  });

  it('adds the alpha prior guide to the alpha logit, so an untrained model already follows the prior', async () => {
    const model = await Pix2Pix.create({ ...SMALL, guides: ['flow-alpha', 'person-prior'], alphaPriorGuide: 'person-prior', seed: 5 });
    const frame = discPairs(1, SIDE, SIDE).inputs;
    const halves = new Uint8Array(PIXELS).map((_, i) => (i % SIDE < SIDE / 2 ? 255 : 0));
    const out = await model.generate(frame, 1, SIDE, SIDE, { alpha: true, guides: new Uint8Array([...plane(128), ...halves]) });
    const alpha = out.alpha as Uint8Array;
    const left = alpha.filter((_, i) => i % SIDE < SIDE / 2);
    const right = alpha.filter((_, i) => i % SIDE >= SIDE / 2);
    expect(mean(left)).toBeGreaterThan(230);
    expect(mean(right)).toBeLessThan(25);
    model.dispose();
  });

  it('refuses a checkpoint trained with other guides, by name', async () => {
    const trained = await Pix2Pix.create({ ...SMALL, guides: ['person-prior', 'flow-alpha'], seed: 1 });
    const file = path.join(dir, 'guided.safetensors');
    await trained.save(file);
    trained.dispose();

    const reloaded = await Pix2Pix.load(file);
    expect(reloaded.guides).toEqual(['person-prior', 'flow-alpha']);
    reloaded.dispose();

    const other = await Pix2Pix.create({ ...SMALL, guides: ['person-prior'] });
    const err = await rejection(other.loadCheckpoint(file));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.code).toBe('CHECKPOINT_INVALID');
    expect(err.message).toBe(
      'Checkpoint guided.safetensors was trained with guides [person-prior, flow-alpha] but the model takes guides [person-prior]. ' +
        'A generator reads its guides by position, so they must match: load it with Pix2Pix.load() to get its own guides, ' +
        'or use a checkpoint trained with guides [person-prior].',
    );
    other.dispose();

    const plain = await rejection(Pix2Pix.load(file, { expect: { preset: 'fast', ngf: 8, ndf: 8, depth: 4 } }));
    expect(plain).toBeInstanceOf(CheckpointError);
    expect(plain.message).toMatch(/^Checkpoint guided\.safetensors was trained with guides \[person-prior, flow-alpha\] but the model takes guides \[\]\./);
  });
});

describe('generate (stage) with guides and alpha', () => {
  const frames = (count: number, guides?: (i: number) => Record<string, Uint8Array>) =>
    Array.from({ length: count }, (_, i) => makeFrame(i, i / 10, SIDE, SIDE, discPairs(1, SIDE, SIDE).inputs, { guides: guides?.(i) }));

  it("passes each frame's guides in the model's order and attaches the composite head's alpha", async () => {
    const model = await Pix2Pix.create({ ...SMALL, guides: ['flow-alpha', 'person-prior'], alphaPriorGuide: 'person-prior', seed: 2 });
    const input = frames(3, (i) => ({ 'person-prior': plane(i === 1 ? 0 : 255), 'flow-alpha': plane(128), unused: plane(9) }));
    const out = await firstValueFrom(from(input).pipe(generate(model, { batchSize: 2 }), toArray()));
    expect(out.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(out.every((f) => f.alpha?.length === PIXELS)).toBe(true);
    expect(mean(out[0]!.alpha!)).toBeGreaterThan(230);
    expect(mean(out[1]!.alpha!)).toBeLessThan(25);
    model.dispose();
  });

  it('emits BadInputError naming a guide a frame lacks', async () => {
    const model = await Pix2Pix.create({ ...SMALL, guides: ['person-prior'] });
    const input = frames(2, (i): Record<string, Uint8Array> => (i === 0 ? { 'person-prior': plane(1) } : { 'flow-alpha': plane(1) }));
    const err = (await firstValueFrom(from(input).pipe(generate(model), toArray())).catch((e: unknown) => e)) as VidganError;
    expect(err).toBeInstanceOf(BadInputError);
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe(
      "Frame 1 has no 'person-prior' guide plane, which the model needs (it was trained with guides [person-prior]; the frame carries [flow-alpha]). " +
        "Add the stage that computes 'person-prior' before generate, or use a model trained without it.",
    );
    model.dispose();
  });

  it('leaves alpha off when asked, and refuses alpha from an rgb head', async () => {
    const model = await Pix2Pix.create(SMALL);
    const out = await firstValueFrom(from(frames(1)).pipe(generate(model, { alpha: false }), toArray()));
    expect(out[0]!.alpha).toBeUndefined();
    const rgb = await Pix2Pix.create({ ...SMALL, head: 'rgb' });
    expect(() => generate(rgb, { alpha: true })).toThrow(
      new InvalidOptionError("Expected alpha false for generate with a 'rgb' head but received true; only the 'composite' head predicts alpha."),
    );
    const plain = await firstValueFrom(from(frames(1)).pipe(generate(rgb), toArray()));
    expect(plain[0]!.alpha).toBeUndefined();
    model.dispose();
    rgb.dispose();
  });

  it('runs the bundled base (no guides) and attaches its alpha', async () => {
    const base = await Pix2Pix.load(defaultBasePath(), { threads: 1 });
    expect(base.guides).toEqual([]);
    const out: Frame[] = await firstValueFrom(from(frames(2)).pipe(generate(base), toArray()));
    expect(out).toHaveLength(2);
    expect(out[0]!.data).toHaveLength(PIXELS * 3);
    expect(out[0]!.alpha).toHaveLength(PIXELS);
    // White where the base keeps no subject: the composite of alpha over white.
    const i = out[0]!.alpha!.findIndex((a) => a === 0);
    if (i >= 0) expect(Array.from(out[0]!.data.subarray(i * 3, i * 3 + 3))).toEqual([255, 255, 255]);
    base.dispose();
  });
});
