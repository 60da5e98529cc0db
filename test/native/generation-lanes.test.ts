import { Pix2Pix } from '../../src/gan/pix2pix';
import { InvalidOptionError } from '../../src/pipeline/errors';
import { generate } from '../../src/stages/generate';

const SMALL = { preset: 'fast', ngf: 8, ndf: 8, depth: 3, seed: 7 } as const;
const SIDE = 48;

function frames(count: number, salt: number): Uint8Array {
  return new Uint8Array(count * SIDE * SIDE * 3).map((_, i) => (i * 31 + salt * 17) % 251);
}

describe('generation lanes', () => {
  it('run generate calls at once with the same outputs as one at a time, and training waits for them', async () => {
    const model = await Pix2Pix.create({ ...SMALL, threads: 2 });
    try {
      expect(Pix2Pix.generationLanes).toBe(2);
      expect(model.lanes).toBe(2);
      const batches = [0, 1, 2, 3].map((k) => frames(2, k));
      const serial: Awaited<ReturnType<Pix2Pix['generate']>>[] = [];
      for (const b of batches) serial.push(await model.generate(b, 2, SIDE, SIDE, { alpha: true }));
      const lanes = await Promise.all(batches.map((b, k) => model.generate(b, 2, SIDE, SIDE, { alpha: true, lane: k % 2 })));
      lanes.forEach((out, k) => {
        expect(Buffer.compare(out.rgb, serial[k]!.rgb)).toBe(0);
        expect(Buffer.compare(out.alpha!, serial[k]!.alpha!)).toBe(0);
      });

      // A train step queued behind lane calls runs after them; lane calls queued after it see its weights.
      const before = model.generate(batches[0]!, 2, SIDE, SIDE, { lane: 0 });
      const step = model.trainStep({ inputs: batches[1]!, targets: batches[2]!, count: 2, height: SIDE, width: SIDE });
      const after = model.generate(batches[0]!, 2, SIDE, SIDE, { lane: 1 });
      const [b, , a] = await Promise.all([before, step, after]);
      expect(Buffer.compare(b.rgb, serial[0]!.rgb)).toBe(0);
      expect(Buffer.compare(a.rgb, serial[0]!.rgb)).not.toBe(0);
      expect(Buffer.compare(a.rgb, (await model.generate(batches[0]!, 2, SIDE, SIDE)).rgb)).toBe(0);
    } finally {
      model.dispose();
    }
  });

  it('are one for a model told to use one thread: a second lane is refused', async () => {
    const model = await Pix2Pix.create({ ...SMALL, threads: 1 });
    try {
      expect(model.lanes).toBe(1);
      // A second lane would give the model a second thread.
      await expect(model.generate(frames(1, 0), 1, SIDE, SIDE, { lane: 1 })).rejects.toBeInstanceOf(InvalidOptionError);
      expect(() => generate(model, { lanes: 2 })).toThrow(InvalidOptionError);
      await model.generate(frames(1, 0), 1, SIDE, SIDE, { lane: 0 });
      await expect(model.generate(frames(1, 0), 1, SIDE, SIDE, { lane: -1 })).rejects.toBeInstanceOf(InvalidOptionError);
    } finally {
      model.dispose();
    }
  });
});
