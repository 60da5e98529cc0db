import { LossWatch } from '../../../src/drill/watch-loss';
import { TrainingDivergedError } from '../../../src/pipeline/errors';

const ok = (l1: number) => ({ gan: 0.7, l1, d: 0.6, total: 0.7 + 100 * l1 });

describe('LossWatch', () => {
  it('accepts a loss that wanders and falls', () => {
    const watch = new LossWatch({ warmupSteps: 5 });
    for (let s = 0; s < 200; s++) watch.observe(s, ok(0.2 / (1 + s / 20) * (1 + 0.3 * Math.sin(s))));
    expect(watch.smoothedL1).toBeLessThan(0.05);
  });

  it('stops at once on a non-finite loss', () => {
    const watch = new LossWatch();
    watch.observe(0, ok(0.2));
    const run = () => watch.observe(1, { ...ok(0.2), d: Number.NaN });
    expect(run).toThrow(TrainingDivergedError);
    expect(run).toThrow('Training diverged at step 1: the d loss is NaN. Lower the learning rate (--learning-rate), or check that the edited frames match their source frames.');
  });

  it('stops when the smoothed L1 climbs to several times its best', () => {
    const watch = new LossWatch({ warmupSteps: 0, maxRise: 4, smoothing: 0.5, minL1: 0.1 });
    for (let s = 0; s < 10; s++) watch.observe(s, ok(0.05));
    let thrown: unknown;
    try {
      for (let s = 10; s < 40; s++) watch.observe(s, ok(0.5));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TrainingDivergedError);
    expect((thrown as TrainingDivergedError).code).toBe('TRAINING_DIVERGED');
    expect((thrown as Error).message).toBe("Training diverged at step 10: the L1 loss rose to 0.2750, 5.5 times its best of 0.0500. Lower the learning rate (--learning-rate), or check that the edited frames match their source frames.");
  });

  it('ignores a rise that stays below the absolute floor', () => {
    const watch = new LossWatch({ warmupSteps: 0, smoothing: 1, minL1: 0.1 });
    watch.observe(0, ok(0.007));
    expect(() => watch.observe(1, ok(0.05))).not.toThrow();
    expect(() => watch.observe(2, ok(0.2))).toThrow(/the L1 loss rose to 0\.2000, 28\.6 times its best of 0\.0070/);
  });

  it('ignores rises during warm-up', () => {
    const watch = new LossWatch({ warmupSteps: 20, smoothing: 1 });
    watch.observe(0, ok(0.01));
    expect(() => watch.observe(1, ok(0.5))).not.toThrow();
    expect(watch.smoothedL1).toBe(0.5);
    // Warm-up losses never become the best, so the first judged step is not a rise from 0.01 ...
    expect(() => watch.observe(20, ok(0.5))).not.toThrow();
    // ... while the same fiftyfold rise after warm-up stops the run.
    watch.observe(21, ok(0.01));
    expect(() => watch.observe(22, ok(0.5))).toThrow(/^Training diverged at step 22: the L1 loss rose to 0\.5000, 50\.0 times its best of 0\.0100\./);
  });
});
