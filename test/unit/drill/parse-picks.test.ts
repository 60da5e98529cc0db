import { parsePicks, parseFrameSpec } from '../../../src/drill/parse-picks';
import { BadInputError } from '../../../src/pipeline/errors';

describe('parseFrameSpec', () => {
  it('reads indices, seconds and clock times at the given rate', () => {
    expect(parseFrameSpec('0', 10)).toBe(0);
    expect(parseFrameSpec('1290', 10)).toBe(1290);
    expect(parseFrameSpec('83.4s', 10)).toBe(834);
    expect(parseFrameSpec('0.3s', 10)).toBe(3);
    expect(parseFrameSpec('00:01:23.4', 10)).toBe(834);
    expect(parseFrameSpec('01:23.4', 10)).toBe(834);
    expect(parseFrameSpec('1:00:00', 10)).toBe(36000);
    expect(parseFrameSpec('2s', 25)).toBe(50);
  });

  it('rounds a timestamp to the nearest frame', () => {
    expect(parseFrameSpec('1.24s', 10)).toBe(12);
    expect(parseFrameSpec('1.26s', 10)).toBe(13);
  });

  it('returns undefined for anything else', () => {
    for (const s of ['a12', '12.png', '-3', '1:2:3:4', '12ss', '']) expect(parseFrameSpec(s, 10)).toBeUndefined();
  });
});

describe('parsePicks', () => {
  it('parses pairs, timestamps, bare image paths, comments and blank lines', () => {
    const text = [
      '# frames edited in Photoshop',
      '12 edited/000012.png',
      '',
      '00:00:03.5   edited/my frame.png  # spaces in the name',
      'edited/000047.jpg',
      '9.9s /abs/x.png',
    ].join('\n');
    expect(parsePicks(text)).toEqual([
      { line: 2, frame: 12, image: 'edited/000012.png' },
      { line: 4, frame: 35, image: 'edited/my frame.png' },
      { line: 5, frame: 47, image: 'edited/000047.jpg' },
      { line: 6, frame: 99, image: '/abs/x.png' },
    ]);
  });

  it('takes the last number of a bare file name, ignoring folders', () => {
    expect(parsePicks('take2/shot3_000120.png')[0]!.frame).toBe(120);
  });

  it('names the line of a malformed frame', () => {
    const run = () => parsePicks('12 a.png\nframe12 b.png\n', { source: 'picks.txt' });
    expect(run).toThrow(BadInputError);
    expect(run).toThrow(
      "picks.txt line 2: 'frame12' is not a frame. Expected a frame index (123), seconds (83.4s) or a clock time (00:01:23.4) before the image path.",
    );
  });

  it('rejects a frame without an image', () => {
    expect(() => parsePicks('\n\n42\n', { source: 'p' })).toThrow(
      "p line 3: frame '42' has no edited image. Write '<frame> <edited image>' on one line.",
    );
  });

  it('rejects a bare image path without a number', () => {
    expect(() => parsePicks('edited/best.png', { source: 'p' })).toThrow(/p line 1: 'edited\/best.png' has no frame number/);
  });

  it('rejects a duplicate frame, also when written as a timestamp', () => {
    try {
      parsePicks('12 a.png\n1.2s b.png', { source: 'p' });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(BadInputError);
      expect((e as BadInputError).code).toBe('BAD_INPUT');
      expect((e as Error).message).toBe(
        'p line 2: frame 12 is already picked on line 1. Each frame may appear once: remove one of the two lines.',
      );
    }
  });

  it('rejects a file with no pairs', () => {
    expect(() => parsePicks('# nothing yet\n\n', { source: 'p' })).toThrow(/^p holds no pairs\./);
  });
});
