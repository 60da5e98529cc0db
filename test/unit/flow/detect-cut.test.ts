import { cutThresholds, histogramDistance, isHardCut } from '../../../src/flow/detect-cut';

const plane = (values: number[]) => ({ width: values.length, height: 1, data: Uint8Array.from(values) });

describe('histogramDistance', () => {
  it('is 0 for the same grey levels in another place and 2 for disjoint ones', () => {
    expect(histogramDistance(plane([0, 100, 200, 250]), plane([250, 200, 100, 0]))).toBe(0);
    expect(histogramDistance(plane([0, 0, 10, 10]), plane([200, 200, 250, 250]))).toBe(2);
  });
});

describe('isHardCut', () => {
  it('cuts on either a histogram change or a flow residual above its threshold', () => {
    const t = cutThresholds();
    expect(isHardCut({ histogramDistance: 0.1, flowResidual: 5 }, t)).toBe(false);
    expect(isHardCut({ histogramDistance: 0.9, flowResidual: 5 }, t)).toBe(true);
    expect(isHardCut({ histogramDistance: 0.1, flowResidual: 45 }, t)).toBe(true);
  });

  it('rejects a threshold out of range', () => {
    expect(() => cutThresholds({ histogramDistance: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: 'Expected number between 0 and 2 for cut.histogramDistance but received 3' }),
    );
  });
});
