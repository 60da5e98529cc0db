import { promises as fs } from 'fs';
import * as path from 'path';
import { lastValueFrom, of, toArray } from 'rxjs';
import sharp from 'sharp';
import { loadBinding } from '../../src/gan/binding';
import { BadInputError, EngineError } from '../../src/pipeline/errors';
import { makeFrame, type Frame } from '../../src/pipeline/frame';
import { PersonPrior } from '../../src/prior/person-prior';
import { personPrior } from '../../src/stages/person-prior';

// Frames and the probability maps MediaPipe's own runtime (its WebAssembly + WebGL solution, in
// headless Chromium) made for them: scripts/make-prior-reference.ts, see fixtures/prior/README.md.
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'prior');
const NAMES = ['interview-05s', 'interview-12s', 'interview-21s', 'interview-28s-400', 'testsrc-01s'];

async function loadFrame(name: string, index: number): Promise<Frame> {
  const { data, info } = await sharp(path.join(FIXTURES, `${name}.png`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return makeFrame(index, index, info.width, info.height, new Uint8Array(data));
}

async function loadReference(name: string, model: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(path.join(FIXTURES, `${name}.${model}.png`)).extractChannel(0).raw().toBuffer());
}

/** Mean absolute difference of two probability planes, on the 0..1 scale. */
function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length / 255;
}

describe('PersonPrior', () => {
  let frames: Frame[];
  beforeAll(async () => {
    frames = await Promise.all(NAMES.map(loadFrame));
  });

  for (const model of ['general', 'landscape'] as const) {
    it(`matches MediaPipe's own runtime within 0.02 mean absolute difference (${model} model)`, async () => {
      const prior = await PersonPrior.load({ model });
      try {
        const planes = await prior.probability(frames);
        const over: string[] = [];
        for (const [i, name] of NAMES.entries()) {
          const reference = await loadReference(name, model);
          expect(planes[i]).toHaveLength(reference.length);
          const mad = meanAbsDiff(planes[i]!, reference);
          if (!(mad < 0.02)) over.push(`${name}: ${mad.toFixed(4)}`);
        }
        expect(over).toEqual([]);
      } finally {
        prior.dispose();
      }
    });
  }

  it('finds the person: high inside the synthetic speaker, low on a test pattern', async () => {
    const prior = await PersonPrior.load();
    const [speaker, pattern] = await prior.probability([frames[0]!, frames[4]!]);
    prior.dispose();
    // The speaker stands in the lower middle of the interview frame.
    expect(speaker![200 * 256 + 128]).toBeGreaterThan(200);
    expect(speaker![20 * 256 + 20]).toBeLessThan(20);
    expect(pattern!.reduce((a, b) => a + b, 0) / pattern!.length).toBeLessThan(20);
  });

  it('rejects with an EngineError once disposed', async () => {
    const prior = await PersonPrior.load();
    prior.dispose();
    await expect(prior.probability([frames[0]!])).rejects.toThrow(new EngineError('The person prior was disposed.'));
  });

  it('refuses a model file that is not TensorFlow Lite, naming it', async () => {
    const file = path.join(FIXTURES, 'README.md');
    const error = await PersonPrior.load({ modelPath: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).code).toBe('BAD_INPUT');
    expect((error as Error).message).toMatch(/^.*README\.md is not a TensorFlow Lite model vidgan can read: its file identifier is ".*", not "TFL3"\.$/);
  });

  it('refuses a missing model file with BadInputError', async () => {
    const file = path.join(FIXTURES, 'missing.tflite');
    await expect(fs.access(file)).rejects.toThrow();
    const error = await PersonPrior.load({ modelPath: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toMatch(/^The person prior's model .*missing\.tflite could not be read: ENOENT/);
  });
});

describe('TfliteGraph (native)', () => {
  it('refuses a malformed spec with an Error instead of crashing', () => {
    const native = loadBinding();
    const spec = { ops: [], constants: [], tensorCount: 2, input: 0, output: 1, inputHeight: 4, inputWidth: 4 };
    expect(() => new native.TfliteGraph({ ...spec, constants: [{ index: 0, shape: [-1, -1], data: new Float32Array(1) }] })).toThrow(
      new RangeError('TfliteGraph: constant 0 has a negative dimension'),
    );
    expect(() => new native.TfliteGraph({ ...spec, ops: [{ kind: 'relu', inputs: [5], output: 1 }] })).toThrow(
      new RangeError('TfliteGraph: tensor index out of range in relu'),
    );
    expect(() => new native.TfliteGraph({ ...spec, inputHeight: 0 })).toThrow('TfliteGraph: inputHeight and inputWidth must be positive');
  });

  it('runs a one-operator graph: forward gives the raw output', async () => {
    const native = loadBinding();
    const graph = new native.TfliteGraph({
      ops: [{ kind: 'conv2d', inputs: [0, 2], output: 1, stride: [2, 2], pad: [0, 1, 0, 1] }],
      constants: [{ index: 2, shape: [1, 1, 3, 3], data: new Float32Array(9).fill(1) }],
      tensorCount: 3, input: 0, output: 1, inputHeight: 4, inputWidth: 4,
    });
    // TFLite SAME, stride 2, 3x3 on 4x4: windows start at rows/columns 0 and 2, the extra padding after.
    const input = Float32Array.from({ length: 16 }, (_, i) => i);
    const { shape, data } = await graph.forward(input, [1, 1, 4, 4]);
    graph.dispose();
    expect(shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(data)).toEqual([0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10, 2 + 3 + 6 + 7 + 10 + 11, 8 + 9 + 10 + 12 + 13 + 14, 10 + 11 + 14 + 15]);
  });
});

describe('personPrior', () => {
  it("attaches each frame's plane as guides['person-prior'], keeping pixels, other guides and order", async () => {
    const prior = await PersonPrior.load();
    const frames = await Promise.all(NAMES.slice(0, 3).map(loadFrame));
    const guided = { ...frames[1]!, guides: { other: new Uint8Array(256 * 256) } };
    const expected = await prior.probability(frames);
    const out = await lastValueFrom(of(frames[0]!, guided, frames[2]!).pipe(personPrior(prior, { batchSize: 2 }), toArray()));
    prior.dispose();
    expect(out.map((f) => f.index)).toEqual([0, 1, 2]);
    out.forEach((frame, i) => {
      expect(frame.data).toBe(frames[i]!.data);
      expect(frame.guides?.['person-prior']).toEqual(expected[i]);
    });
    expect(out[1]!.guides?.other).toBe(guided.guides.other);
  });

  it('refuses a batch size outside 1..64 when built', async () => {
    const prior = await PersonPrior.load();
    prior.dispose();
    expect(() => personPrior(prior, { batchSize: 0 })).toThrow('Expected integer between 1 and 64 for batchSize but received 0');
  });
});
