import { Pix2Pix } from '../../src/gan/pix2pix';
import { InvalidOptionError } from '../../src/pipeline/errors';
import { discPairs } from './frames';

const SMALL = { ngf: 8, ndf: 8, depth: 4, threads: 1 } as const;

describe('Pix2Pix.trainStep weights', () => {
  it('gives a pixel of weight 0 no say in L1: all zero reports L1 0, all 255 the same L1 as none', async () => {
    const pairs = discPairs(2, 64, 64);
    const none = await Pix2Pix.create({ ...SMALL, seed: 3 });
    const full = await Pix2Pix.create({ ...SMALL, seed: 3 });
    const zero = await Pix2Pix.create({ ...SMALL, seed: 3 });
    try {
      const plain = await none.trainStep(pairs);
      const all = await full.trainStep({ ...pairs, weights: new Uint8Array(2 * 64 * 64).fill(255) });
      const nothing = await zero.trainStep({ ...pairs, weights: new Uint8Array(2 * 64 * 64) });
      expect(plain.l1).toBeGreaterThan(0.1);
      expect(all.l1).toBeCloseTo(plain.l1, 5);
      expect(nothing.l1).toBe(0);
    } finally {
      for (const m of [none, full, zero]) m.dispose();
    }
  });

  it('refuses a weight plane of the wrong size before any work', async () => {
    const model = await Pix2Pix.create({ ...SMALL, seed: 3 });
    try {
      const error = await model.trainStep({ ...discPairs(2, 64, 64), weights: new Uint8Array(10) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as Error).message).toBe('Expected 8192 bytes (2 x 64 x 64) for trainStep.weights but received 10');
      expect(model.step).toBe(0);
    } finally {
      model.dispose();
    }
  });
});
