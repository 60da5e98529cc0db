import type { Pix2Pix } from '../../../src/gan/pix2pix';
import { checkDrillOptions, DRILL_DEFAULTS, drillCropSize, trainDrill } from '../../../src/drill/train-drill';
import { pretrain, PRETRAIN_DEFAULTS } from '../../../src/drill/pretrain';
import { InvalidOptionError } from '../../../src/pipeline/errors';

// A model that fails the test if anything reads it: a bad option must be refused before any work.
const untouchable = new Proxy({}, {
  get: (_target, key) => {
    throw new Error(`the model was used (${String(key)}) before the options were checked`);
  },
}) as Pix2Pix;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('trainDrill', () => {
  it.each([
    [{ steps: -1 }, 'Expected integer between 0 and 100000000 for steps but received -1'],
    [{ steps: Number.NaN }, 'Expected integer between 0 and 100000000 for steps but received NaN'],
    [{ steps: 2.5 }, 'Expected integer between 0 and 100000000 for steps but received 2.5'],
    [{ trainSeconds: -5 }, 'Expected number between 0.001 and 1000000000 for trainSeconds but received -5'],
    [{ trainSeconds: Number.POSITIVE_INFINITY }, 'Expected number between 0.001 and 1000000000 for trainSeconds but received Infinity'],
    [{ batchSize: 0 }, 'Expected integer between 1 and 256 for batchSize but received 0'],
    [{ seed: -1 }, 'Expected integer between 0 and 4294967295 for seed but received -1'],
    [{ learningRate: Number.NaN }, 'Expected number between 1e-12 and 1 for learningRate but received NaN'],
    [{ decayFrom: 2 }, 'Expected number between 0 and 1 for decayFrom but received 2'],
    [{ cropSize: 8 }, 'Expected integer between 16 and 4096 for cropSize but received 8'],
    [{ checkpointEveryMs: -1 }, 'Expected number between 0 and 1000000000000 for checkpointEveryMs but received -1'],
    [{ startStep: -3 }, 'Expected integer between 0 and 9007199254740991 for startStep but received -3'],
    [{ scaleRange: [1.2, 0.8] as const }, 'Expected scaleRange[0] <= scaleRange[1] but received [1.2, 0.8]'],
    [{ alphaLoss: -1 }, 'Expected number between 0 and 1000 for alphaLoss but received -1'],
  ])('refuses %p before touching the model', async (options, message) => {
    const error = await rejection(trainDrill(untouchable, [], options));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', message });
  });
});

describe('checkDrillOptions', () => {
  it('fills in the defaults the CLI shows', () => {
    expect(checkDrillOptions({})).toMatchObject({ ...DRILL_DEFAULTS, learningRate: 5e-4, decayFrom: 0.5, checkpointEveryMs: 120_000 });
    expect(checkDrillOptions({}).cropSize).toBeUndefined();
    expect(checkDrillOptions({ cropSize: 300 }).cropSize).toBe(300);
    expect(DRILL_DEFAULTS).toEqual({ steps: 1500, trainSeconds: 150, batchSize: 2, learningRate: 5e-4, seed: 0, alphaLoss: 10, alphaEdgeWeight: 0 });
  });
});

describe('drillCropSize', () => {
  it('trains on whole frames from 256 to 400 px: smaller frames keep 256 patches, larger ones 400', () => {
    const frame = (width: number, height: number) => ({ width, height });
    expect(drillCropSize([frame(400, 400)])).toBe(400);
    expect(drillCropSize([frame(320, 240), frame(300, 300)])).toBe(320);
    expect(drillCropSize([frame(128, 128)])).toBe(256);
    expect(drillCropSize([frame(720, 720)])).toBe(400);
  });
});

describe('pretrain', () => {
  it.each([
    [{ poolSize: 0 }, 'Expected integer between 1 and 1000000 for poolSize but received 0'],
    [{ seed: Number.NaN }, 'Expected integer between 0 and 4294967295 for seed but received NaN'],
    [{ training: { steps: -1 } }, 'Expected integer between 0 and 100000000 for steps but received -1'],
    [{ training: { batchSize: 1.5 } }, 'Expected integer between 1 and 256 for batchSize but received 1.5'],
  ])('refuses %p before it makes any pair or model', async (options, message) => {
    const messages: string[] = [];
    const error = await rejection(pretrain({ out: '/nonexistent/never-written.safetensors', poolSize: 1, ...options, onInfo: (m) => messages.push(m) }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', message });
    expect(messages).toEqual([]);
  });

  it('has one batch size: the one the bundled base was trained with', () => {
    expect(PRETRAIN_DEFAULTS).toEqual({ steps: 20000, trainSeconds: 1800, batchSize: 2, poolSize: 384, seed: 1 });
  });
});
