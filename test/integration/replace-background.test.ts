import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { makeFrame } from '../../src/pipeline/frame';
import { BadInputError } from '../../src/pipeline/errors';
import { resolveFfmpegPath } from '../../src/stages/ffmpeg/ffmpeg-path';
import { replaceBackground } from '../../src/stages/replace-background';
import { tempDir } from './helpers';

const SIZE = 16;

/** A transparent frame (alpha 0 everywhere) with the given index. */
function clear(index: number) {
  return makeFrame(index, index / 10, SIZE, SIZE, new Uint8Array(SIZE * SIZE * 3).fill(255), { alpha: new Uint8Array(SIZE * SIZE) });
}

describe('replaceBackground with a video', () => {
  it('gives stream frame i the looped video frame i, also when the stream skips frames', async () => {
    // Three frames whose red is 0, 100, 200 (frame number times 100), lossless.
    const video = join(tempDir(), 'ramp.mkv');
    execFileSync(resolveFfmpegPath(), [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', "color=c=black:s=32x16:r=10:d=0.3,format=rgb24,geq=r='N*100':g=0:b=0",
      '-c:v', 'ffv1', '-pix_fmt', 'bgr0', video,
    ]);
    const frames = await lastValueFrom(from([clear(2), clear(4), clear(5)]).pipe(replaceBackground(video, { fps: 10 }), toArray()));
    // 2 → video frame 2; 4 → 4 mod 3 = 1; 5 → 2.
    expect(frames.map((f) => f.data[0])).toEqual([200, 100, 200]);
    expect(frames.every((f) => f.alpha === undefined)).toBe(true);
  });

  it('errors with a BadInputError for a background that is not a picture or video', async () => {
    const bogus = join(tempDir(), 'bogus.mp4');
    writeFileSync(bogus, 'not a video');
    const error = await lastValueFrom(from([clear(0)]).pipe(replaceBackground(bogus))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).code).toBe('BAD_INPUT');
    expect((error as BadInputError).message).toMatch(/bogus\.mp4/);
  });
});
