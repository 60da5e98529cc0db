import { frameRanges, rangeFolder } from '../../../../src/jobs/queue/frame-ranges';
import { InvalidOptionError } from '../../../../src/pipeline/errors';

describe('frameRanges', () => {
  it('splits into even-sized ranges, the last one open-ended', () => {
    expect(frameRanges(25, 10)).toEqual([{ from: 0, to: 10 }, { from: 10, to: 20 }, { from: 20 }]);
    expect(frameRanges(400, 100)).toEqual([{ from: 0, to: 100 }, { from: 100, to: 200 }, { from: 200, to: 300 }, { from: 300 }]);
    // an odd size is rounded up, so every range starts on an even frame
    expect(frameRanges(20, 7)).toEqual([{ from: 0, to: 8 }, { from: 8, to: 16 }, { from: 16 }]);
    expect(frameRanges(0, 10)).toEqual([{ from: 0 }]);
  });

  it('refuses a range of fewer than two frames', () => {
    expect(() => frameRanges(10, 1)).toThrow(InvalidOptionError);
    expect(() => frameRanges(10, 1)).toThrow('Expected integer between 2 and 9007199254740991 for rangeFrames but received 1');
  });
});

describe('rangeFolder', () => {
  it('is a hidden folder beside the output', () => {
    expect(rangeFolder('/out/talk.mp4', 600)).toBe('/out/.talk.mp4.ranges/000600');
  });
});
