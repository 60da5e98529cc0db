import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { loadPicks } from '../../src/drill/load-picks';
import { collectFrames } from '../../src/stages/collect-frames';
import { BadInputError, CancelledError } from '../../src/pipeline/errors';
import { decodeVideo } from '../../src/stages/decode-video';
import { resolveFfmpegPath } from '../../src/stages/ffmpeg/ffmpeg-path';
import { sampledFrameCount } from '../../src/stages/ffmpeg/parse-probe';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { fixture, tempDir } from './helpers';

const ffmpeg = (args: string[]) => execFileSync(resolveFfmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

/** 2 s of 10 fps video and `audioSeconds` of tone: the container lasts as long as the audio. */
function clipWithLongAudio(audioSeconds: number): string {
  const out = join(tempDir(), `v2s-a${audioSeconds}s.mp4`);
  ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10:duration=2',
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${audioSeconds}`,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', out,
  ]);
  return out;
}

describe('a video whose audio outlasts it', () => {
  let video: string;
  beforeAll(() => {
    video = clipWithLongAudio(4);
  });

  it('is probed at the video stream length, not the container duration', async () => {
    const info = await probeVideo(video);
    expect(info.containerDurationSec).toBeGreaterThanOrEqual(3.99);
    expect(info.durationSec).toBeCloseTo(2, 6);
    expect(info.videoFrames).toBe(20);
    expect(sampledFrameCount(info.durationSec!, 10)).toBe(20);
  });

  it('decodes its 20 frames without a truncation error', async () => {
    const frames = await lastValueFrom(decodeVideo(video, { fps: 10, crop: 64 }).pipe(toArray()));
    expect(frames.map((f) => f.index)).toEqual([...Array(20).keys()]);
  });

  it('gives the frame of a pick at the last video frame', async () => {
    const frames = await collectFrames(video, [3, 19], { fps: 10, crop: 64 });
    expect([...frames.keys()].sort((a, b) => a - b)).toEqual([3, 19]);
    expect(frames.get(19)).toMatchObject({ index: 19, width: 64, height: 64 });
  });

  it('refuses a pick in the audio-only tail before any decoding, with the frame count', async () => {
    const picks = join(tempDir(), 'picks.txt');
    writeFileSync(picks, '3 a.png\n25 b.png\n');
    const info = await probeVideo(video);
    const load = loadPicks(picks, { fps: 10, frameCount: sampledFrameCount(info.durationSec!, 10), size: 64 });
    await expect(load).rejects.toBeInstanceOf(BadInputError);
    await expect(load).rejects.toThrow('picks.txt line 2: frame 25 is past the end of the video (20 frames at 10 fps, numbered 0 to 19).');
  });

  it('collectFrames names a frame the video does not reach instead of returning without it', async () => {
    // 2 s of video and 2.5 s of audio: within the decoder's tolerance, so no truncation error.
    const shorter = clipWithLongAudio(2.5);
    const collecting = collectFrames(shorter, [5, 22], { fps: 10, crop: 32 });
    await expect(collecting).rejects.toBeInstanceOf(BadInputError);
    await expect(collecting).rejects.toThrow(`${shorter} ends after 20 frames at 10 fps (numbered 0 to 19), before frame 22.`);
  });
});

describe('a truncated video with audio', () => {
  it('is still reported as truncated: its packets stop well short of the container duration', async () => {
    const whole = clipWithLongAudio(2);
    const cut = join(tempDir(), 'cut.mp4');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const info = await probeVideo(cut);
    expect(info.durationSec).toBe(info.containerDurationSec);
    const error = await lastValueFrom(decodeVideo(cut, { fps: 10, crop: 32 }).pipe(toArray())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toMatch(new RegExp(`^${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is truncated: decoded \\d+ frames at 10 fps but its header promises 20 `));
  });
});

describe('probeVideo cancelled', () => {
  it('rejects with a CancelledError, not a bad-input error, when the signal aborts while ffmpeg probes', async () => {
    // A stand-in ffmpeg that says it has started (through a FIFO the test reads) and then hangs,
    // as ffmpeg does on a slow network disk: the abort lands while it runs, whatever the load.
    const dir = tempDir();
    const started = join(dir, 'started');
    execFileSync('mkfifo', [started]);
    const fake = join(dir, 'ffmpeg-hang.sh');
    writeFileSync(fake, `#!/bin/sh\necho started > '${started}'\nexec sleep 600\n`);
    chmodSync(fake, 0o755);
    const controller = new AbortController();
    const probing = probeVideo(fixture('clip-640x480.mp4'), { ffmpegPath: fake, signal: controller.signal });
    expect(await readFile(started, 'utf8')).toBe('started\n');
    controller.abort();
    const error = await probing.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ code: 'CANCELLED', message: `Probing ${fixture('clip-640x480.mp4')} was cancelled.` });
  });

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(probeVideo(fixture('clip-640x480.mp4'), { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
