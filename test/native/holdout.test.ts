import { crossValidate, type IndexedPair } from '../../src/jobs/holdout';
import { NO_TIME_LIMIT_S } from '../integration/helpers';
import { discPairs } from './frames';

// Tiny networks at 32x32 and a high learning rate: the disc edit is learnt in a few dozen steps.
const SMALL = { ngf: 8, ndf: 8, depth: 3 } as const;
const SIZE = 32;

/** Four disc pairs (the background-erase edit) as picks numbered 10, 20, … */
function picks(): IndexedPair[] {
  const all = discPairs(4, SIZE, SIZE);
  const bytes = SIZE * SIZE * 3;
  return [...Array(4).keys()].map((n) => ({
    index: (n + 1) * 10,
    input: all.inputs.slice(n * bytes, (n + 1) * bytes),
    target: all.targets.slice(n * bytes, (n + 1) * bytes),
    width: SIZE,
    height: SIZE,
  }));
}

describe('crossValidate', () => {
  it('scores every pick once, with the fold that did not train on it, and learning shows', async () => {
    const heldOutBy = new Map<number, number>();
    const predicted: number[] = [];
    const options = { k: 2, base: 'none', modelOptions: SMALL, threads: 2 } as const;
    const trained = await crossValidate(picks(), {
      ...options,
      training: { steps: 40, trainSeconds: NO_TIME_LIMIT_S, cropSize: SIZE, batchSize: 2, learningRate: 5e-3, seed: 1 },
      onFold: (fold, folds, heldOut) => {
        expect(folds).toBe(2);
        for (const f of heldOut) heldOutBy.set(f, fold);
      },
      onPrediction: (p) => {
        predicted.push(p.score.index);
        expect(p.output).toHaveLength(SIZE * SIZE * 3);
      },
    });
    expect(trained.k).toBe(2);
    expect(trained.folds.map((f) => f.heldOut)).toEqual([
      [10, 30],
      [20, 40],
    ]);
    expect(trained.folds.every((f) => f.trainPairs === 2 && f.steps === 40 && f.curve.length > 0)).toBe(true);
    expect(trained.perFrame.map((s) => [s.index, s.fold])).toEqual([...heldOutBy].sort((a, b) => a[0] - b[0]));
    expect(predicted.sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
    expect(trained.summaries.iou.count).toBe(4);
    expect(trained.stdIoU).toBeCloseTo(trained.summaries.iou.std, 12);

    // The same folds without training: the scores must be clearly worse than after it.
    const untrained = await crossValidate(picks(), { ...options, training: { steps: 0, seed: 1 } });
    expect(untrained.folds.every((f) => f.steps === 0)).toBe(true);
    expect(trained.meanIoU).toBeGreaterThan(0.7);
    expect(trained.meanIoU).toBeGreaterThan(untrained.meanIoU + 0.2);
    expect(trained.meanPSNR).toBeGreaterThan(untrained.meanPSNR + 3);
  });

  it('erases strays from the predictions as the stream would, by the flow guide each pair carries', async () => {
    // Every pick carries a flow guide that calls the whole frame background: in 'pixels' mode each held-out
    // prediction comes out white, in 'regions' mode only what lies apart from its largest region.
    const guided = picks().map((pair) => ({ ...pair, guides: [new Uint8Array(SIZE * SIZE)] }));
    const options = {
      k: 2,
      base: 'none',
      modelOptions: SMALL,
      threads: 2,
      // The guide as an input only (not added to the alpha head), so that the untrained model keeps something.
      guides: { guides: ['flow-alpha'] },
      training: { steps: 0, seed: 1 },
    } as const;
    const outputs = async (strays?: 'regions' | 'pixels') => {
      const out = new Map<number, Uint8Array>();
      await crossValidate(guided, { ...options, ...(strays ? { strays } : {}), onPrediction: (p) => out.set(p.score.index, p.output) });
      return out;
    };
    const plain = await outputs();
    const pixels = await outputs('pixels');
    const regions = await outputs('regions');
    const nonWhite = (rgb: Uint8Array) => rgb.filter((v, i) => i % 3 === 0 && (v < 231 || rgb[i + 1]! < 231 || rgb[i + 2]! < 231)).length;
    for (const index of [10, 20, 30, 40]) {
      expect(nonWhite(plain.get(index)!)).toBeGreaterThan(0);
      expect(nonWhite(pixels.get(index)!)).toBe(0);
      expect(nonWhite(regions.get(index)!)).toBeLessThanOrEqual(nonWhite(plain.get(index)!));
    }
  });
});
