import { InvalidOptionError } from '../../../../src/pipeline/errors';
import { formatForPath, OUTPUT_FORMAT_NAMES, OUTPUT_FORMATS, outputFormat } from '../../../../src/stages/ffmpeg/output-format';

describe('OUTPUT_FORMATS', () => {
  it('describes H.264 MP4 without alpha, ProRes 4444 MOV and VP9 WebM with alpha', () => {
    const table = OUTPUT_FORMAT_NAMES.map((name) => {
      const f = OUTPUT_FORMATS[name];
      return [f.name, f.container, f.extension, f.codec, f.codecName, f.pixelFormat, f.alpha, f.audioCodec];
    });
    expect(table).toEqual([
      ['mp4-h264', 'mp4', '.mp4', 'libx264', 'h264', 'yuv420p', false, 'aac'],
      ['mov-prores4444', 'mov', '.mov', 'prores_ks', 'prores', 'yuva444p10le', true, 'aac'],
      ['webm-vp9', 'webm', '.webm', 'libvpx-vp9', 'vp9', 'yuva420p', true, 'libopus'],
    ]);
    expect(Object.isFrozen(OUTPUT_FORMATS)).toBe(true);
    expect(Object.isFrozen(OUTPUT_FORMATS['webm-vp9'])).toBe(true);
  });
});

describe('outputFormat', () => {
  it('finds a format by name', () => {
    expect(outputFormat('mov-prores4444')).toBe(OUTPUT_FORMATS['mov-prores4444']);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => outputFormat('gif')).toThrow(InvalidOptionError);
    expect(() => outputFormat('toString')).toThrow(
      "Expected one of 'mp4-h264', 'mov-prores4444', 'webm-vp9' for format but received 'toString'",
    );
  });
});

describe('formatForPath', () => {
  it('picks the format from the extension, ignoring case', () => {
    expect(formatForPath('out/clip.mp4').name).toBe('mp4-h264');
    expect(formatForPath('CLIP.M4V').name).toBe('mp4-h264');
    expect(formatForPath('a/b.MOV').name).toBe('mov-prores4444');
    expect(formatForPath('x.webm').name).toBe('webm-vp9');
  });

  it('refuses an extension it cannot write, naming the ones it can', () => {
    let error: unknown;
    try {
      formatForPath('out/clip.mkv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toBe(
      "Cannot tell the output format of out/clip.mkv from its extension '.mkv'. Name the file .mp4 (H.264), .mov (ProRes 4444 with alpha) or .webm (VP9 with alpha).",
    );
  });
});
