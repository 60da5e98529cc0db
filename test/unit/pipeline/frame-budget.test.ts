import { Subject } from 'rxjs';
import { InvalidOptionError } from '../../../src/pipeline/errors';
import { makeFrame, type Frame } from '../../../src/pipeline/frame';
import { FrameBudget } from '../../../src/pipeline/frame-budget';
import { releaseFrames } from '../../../src/pipeline/release-frames';

describe('FrameBudget', () => {
  it('is exhausted after maxInFlight takes and has room again after a release', () => {
    const budget = new FrameBudget(2);
    budget.take(0);
    expect(budget.exhausted).toBe(false);
    budget.take(1);
    expect(budget.exhausted).toBe(true);
    budget.releaseThrough(0);
    expect(budget.inFlight).toBe(1);
    expect(budget.exhausted).toBe(false);
  });

  it('releases every earlier frame too, so frames dropped by a stage are freed', () => {
    const budget = new FrameBudget(4);
    [0, 1, 2, 3].forEach((i) => budget.take(i));
    budget.releaseThrough(2);
    expect(budget.inFlight).toBe(1);
    budget.releaseAll();
    expect(budget.inFlight).toBe(0);
  });

  it('wakes waiting sources when room opens, until they stop listening', () => {
    const budget = new FrameBudget(1);
    let wakes = 0;
    const stop = budget.onAvailable(() => wakes++);
    budget.take(0);
    budget.releaseThrough(0);
    expect(wakes).toBe(1);
    stop();
    budget.take(1);
    budget.releaseThrough(1);
    expect(wakes).toBe(1);
  });

  it('stays bounded over many frames', () => {
    const budget = new FrameBudget(3);
    for (let i = 0; i < 10_000; i++) {
      budget.take(i);
      if (i >= 2) budget.releaseThrough(i - 2);
      expect(budget.inFlight).toBeLessThanOrEqual(3);
    }
  });

  it('rejects a non-positive size', () => {
    expect(() => new FrameBudget(0)).toThrow(InvalidOptionError);
    expect(() => new FrameBudget(0)).toThrow('Expected integer between 1 and 100000 for maxInFlight but received 0');
  });
});

describe('releaseFrames', () => {
  it('releases a frame once the subscriber has handled it', () => {
    const budget = new FrameBudget(8);
    const source = new Subject<Frame>();
    const inFlightSeen: number[] = [];
    source.pipe(releaseFrames(budget)).subscribe(() => inFlightSeen.push(budget.inFlight));
    for (let i = 0; i < 3; i++) {
      budget.take(i);
      source.next(makeFrame(i, i / 10, 1, 1, new Uint8Array(3)));
    }
    expect(inFlightSeen).toEqual([1, 1, 1]);
    expect(budget.inFlight).toBe(0);
  });
});
