import { simulateFlowAlpha } from '../../../src/data/simulate-flow-alpha';
import { maskIoU } from '../../../src/eval/mask-iou';
import { createSynthRng } from '../../../src/data/synth/synth-rng';

const SIDE = 96;
// A head-and-shoulders shape: a disc over a wide block.
const mask = new Uint8Array(SIDE * SIDE).map((_, i) => {
  const x = i % SIDE, y = Math.floor(i / SIDE);
  return (x - 48) ** 2 + (y - 40) ** 2 < 18 ** 2 || (y > 60 && x > 16 && x < 80) ? 255 : 0;
});


describe('simulateFlowAlpha', () => {
  it('is the same plane for the same seed, and another for another', () => {
    const a = simulateFlowAlpha(mask, SIDE, SIDE, createSynthRng(5));
    expect(a).toHaveLength(SIDE * SIDE);
    expect(simulateFlowAlpha(mask, SIDE, SIDE, createSynthRng(5))).toEqual(a);
    expect(simulateFlowAlpha(mask, SIDE, SIDE, createSynthRng(6))).not.toEqual(a);
  });

  it('keeps the matte recognisable but wrong, as propagation leaves it, and sometimes knows nothing', () => {
    const scores: number[] = [];
    let unknown = 0;
    for (let seed = 0; seed < 60; seed++) {
      const plane = simulateFlowAlpha(mask, SIDE, SIDE, createSynthRng(seed));
      if (plane.every((v) => v === 128)) {
        unknown++;
        continue;
      }
      scores.push(maskIoU(plane, mask));
    }
    const mean = scores.reduce((s, v) => s + v, 0) / scores.length;
    expect(unknown).toBeGreaterThan(0);
    expect(unknown).toBeLessThan(15);
    expect(mean).toBeGreaterThan(0.5);
    expect(mean).toBeLessThan(0.97);
    expect(scores.filter((s) => s === 1).length).toBeLessThan(scores.length / 4);
  });
});
