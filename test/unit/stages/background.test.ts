import { InvalidOptionError } from '../../../src/pipeline/errors';
import { describeBackground, isWhite, parseBackground } from '../../../src/stages/background';

describe('parseBackground', () => {
  it('reads colours, transparent, pictures and videos', () => {
    expect(parseBackground('white')).toEqual({ kind: 'colour', rgb: [255, 255, 255] });
    expect(parseBackground('Black')).toEqual({ kind: 'colour', rgb: [0, 0, 0] });
    expect(parseBackground('#1a2B3c')).toEqual({ kind: 'colour', rgb: [26, 43, 60] });
    expect(parseBackground('transparent')).toEqual({ kind: 'transparent' });
    expect(parseBackground('shots/beach.JPG')).toEqual({ kind: 'image', path: 'shots/beach.JPG' });
    expect(parseBackground('waves.mp4')).toEqual({ kind: 'video', path: 'waves.mp4' });
  });

  it('refuses a # colour that is not six hex digits, with class, code and message', () => {
    const error = (() => {
      try {
        parseBackground('#12345g');
      } catch (e) {
        return e;
      }
    })() as InvalidOptionError;
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe("Expected a colour '#rrggbb' (six hex digits) for background but received '#12345g'");
  });
});

describe('describeBackground', () => {
  it('names colours by name or hex, and files by kind', () => {
    expect(describeBackground(parseBackground('#ffffff'))).toBe('white');
    expect(describeBackground(parseBackground('#ff0000'))).toBe('#ff0000');
    expect(describeBackground(parseBackground('a.png'))).toBe('picture a.png');
    expect(describeBackground(parseBackground('a.mov'))).toBe('video a.mov');
    expect(isWhite(parseBackground('white'))).toBe(true);
    expect(isWhite(parseBackground('transparent'))).toBe(false);
  });
});
