import { assignFolds } from '../../../src/drill/assign-folds';
import { InvalidOptionError } from '../../../src/pipeline/errors';

describe('assignFolds', () => {
  it('deals sorted frames out in turn, so each fold spans the video', () => {
    expect(assignFolds([40, 10, 30, 20, 50], 2)).toEqual([
      [10, 30, 50],
      [20, 40],
    ]);
    expect(assignFolds([5, 1, 3], 3)).toEqual([[1], [3], [5]]);
  });

  it('holds every frame out exactly once', () => {
    const frames = [...Array(22).keys()].map((i) => i * 37 + 5);
    const folds = assignFolds(frames, 5);
    expect(folds.map((f) => f.length)).toEqual([5, 5, 4, 4, 4]);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(frames);
  });

  it('refuses too few picks and a k outside 2 … picks', () => {
    expect(() => assignFolds([3], 2)).toThrow(
      new InvalidOptionError(
        'Expected at least 2 picks for hold-out validation but received 1; edit more frames or leave out --holdout.',
      ),
    );
    expect(() => assignFolds([1, 2, 3], 4)).toThrow(new InvalidOptionError('Expected integer between 2 and 3 for holdout but received 4'));
    expect(() => assignFolds([1, 2, 3], 1)).toThrow(InvalidOptionError);
  });
});
