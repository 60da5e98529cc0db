import { InvalidOptionError } from '../../../src/pipeline/errors';
import { outputTarget, targetsWithAlpha } from '../../../src/stages/output-target';

describe('outputTarget', () => {
  it('follows the file name: .mp4 H.264, .mov ProRes 4444, .webm VP9, no extension a PNG folder', () => {
    expect(outputTarget('a/clip.mp4')).toMatchObject({ kind: 'video', name: 'mp4-h264', alpha: false, audio: true });
    expect(outputTarget('a/clip.MOV')).toMatchObject({ kind: 'video', name: 'mov-prores4444', alpha: true });
    expect(outputTarget('a/clip.webm')).toMatchObject({ kind: 'video', name: 'webm-vp9', alpha: true });
    expect(outputTarget('a/frames')).toMatchObject({ kind: 'png-folder', name: 'png', alpha: true, audio: false });
    expect(outputTarget('a/frames.d/')).toMatchObject({ kind: 'png-folder' });
  });

  it('lets format override the name', () => {
    expect(outputTarget('a/clip.mp4', 'webm-vp9').name).toBe('webm-vp9');
    expect(outputTarget('a/clip.mp4', 'png').name).toBe('png');
  });

  it('refuses an unknown extension, naming the ones that work', () => {
    expect(() => outputTarget('a/clip.avi')).toThrow(InvalidOptionError);
    expect(() => outputTarget('a/clip.avi')).toThrow(
      "Cannot tell the output format of a/clip.avi from its extension '.avi'. Name the file .mp4 (H.264), .mov (ProRes 4444 with alpha) or " +
        '.webm (VP9 with alpha), or a folder (no extension) for RGBA PNGs; or choose one with --format (mp4-h264, mov-prores4444, webm-vp9, png).',
    );
  });

  it('refuses an unknown format name', () => {
    expect(() => outputTarget('a/clip.mp4', 'gif')).toThrow(
      "Expected one of 'mp4-h264', 'mov-prores4444', 'webm-vp9', 'png' for format but received 'gif'",
    );
  });
});

describe('targetsWithAlpha', () => {
  it('lists the formats that keep alpha', () => {
    expect(targetsWithAlpha()).toBe('.mov (mov-prores4444), .webm (webm-vp9) or a folder of RGBA PNGs (png)');
  });
});
