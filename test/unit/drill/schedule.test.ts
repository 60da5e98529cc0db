import { etaSeconds, learningRateAt, progressOf } from '../../../src/drill/schedule';

describe('progressOf', () => {
  it('takes the larger of the step and time fractions, capped at 1', () => {
    expect(progressOf({ steps: 100, trainSeconds: 60 }, 50, 45)).toBe(0.75);
    expect(progressOf({ steps: 100, trainSeconds: 60 }, 80, 6)).toBe(0.8);
    expect(progressOf({ steps: 100, trainSeconds: 60 }, 200, 6)).toBe(1);
  });
});

describe('learningRateAt', () => {
  it('holds the base rate until decayFrom, then falls linearly to zero', () => {
    expect(learningRateAt(2e-4, 0, 0.5)).toBe(2e-4);
    expect(learningRateAt(2e-4, 0.5, 0.5)).toBe(2e-4);
    expect(learningRateAt(2e-4, 0.75, 0.5)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(2e-4, 1, 0.5)).toBe(0);
    expect(learningRateAt(1, 0.9, 0.8)).toBeCloseTo(0.5, 12);
  });
});

describe('etaSeconds', () => {
  it('extrapolates from the progress so far', () => {
    expect(etaSeconds(0.25, 30)).toBe(90);
    expect(etaSeconds(1, 30)).toBe(0);
    expect(etaSeconds(0, 30)).toBe(Number.POSITIVE_INFINITY);
  });
});
