import { FfmpegError } from '../../../../src/pipeline/errors';
import { resolveFfmpegPath } from '../../../../src/stages/ffmpeg/ffmpeg-path';

describe('resolveFfmpegPath', () => {
  it('uses FFMPEG_PATH when it names an existing file', () => {
    expect(resolveFfmpegPath({ FFMPEG_PATH: process.execPath })).toBe(process.execPath);
  });

  it('falls back to @ffmpeg-installer/ffmpeg', () => {
    expect(resolveFfmpegPath({})).toBe((require('@ffmpeg-installer/ffmpeg') as { path: string }).path);
  });

  it('explains how to fix a missing binary', () => {
    let error: unknown;
    try {
      resolveFfmpegPath({ FFMPEG_PATH: '/no/such/ffmpeg' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', exitCode: null, command: ['/no/such/ffmpeg'] });
    expect((error as Error).message).toBe(
      'ffmpeg binary not found: FFMPEG_PATH names /no/such/ffmpeg, which does not exist or cannot be run. ' +
        'Set FFMPEG_PATH to an ffmpeg executable, or reinstall @ffmpeg-installer/ffmpeg (npm ci).',
    );
  });
});
