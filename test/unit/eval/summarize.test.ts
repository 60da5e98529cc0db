import { InvalidOptionError } from '../../../src/pipeline/errors';
import { summarize } from '../../../src/eval/summarize';

describe('summarize', () => {
  it('gives count, mean, population std, min and max', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.count).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
    expect(summarize([7]).std).toBe(0);
  });

  it('rejects an empty list', () => {
    expect(() => summarize([])).toThrow(InvalidOptionError);
    expect(() => summarize([])).toThrow(/at least one value/);
  });
});
