import { firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import { BadInputError, CancelledError, FfmpegError } from '../../src/pipeline/errors';
import type { Frame } from '../../src/pipeline/frame';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import { releaseFrames } from '../../src/pipeline/release-frames';
import { centerCrop } from '../../src/stages/center-crop';
import { decodeVideo } from '../../src/stages/decode-video';
import { sampledFrameCount } from '../../src/stages/ffmpeg/parse-probe';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { Counter, deferred, nextTurn } from '../deferred';
import { crashingFfmpeg, eventually, ffmpegProcessesWith, fixture, meanAbsDiff, privateCopy, psnr } from './helpers';

const decodeAll = (path: string, options = {}) => lastValueFrom(decodeVideo(path, options).pipe(toArray()));

/** Runs `decodeVideo` to its end and returns the frames seen and the error it ended with. */
async function decodeUntilError(path: string, options = {}): Promise<{ frames: Frame[]; error: unknown }> {
  const frames: Frame[] = [];
  const error = await new Promise<unknown>((resolve) => {
    decodeVideo(path, options).subscribe({ next: (f) => frames.push(f), error: resolve, complete: () => resolve(undefined) });
  });
  return { frames, error };
}

describe('decodeVideo', () => {
  it('samples at 10 fps with indices and timestamps in order, as many frames as probing predicts', async () => {
    const path = fixture('clip-640x480.mp4');
    const info = await probeVideo(path);
    const frames = await decodeAll(path);
    expect(frames).toHaveLength(sampledFrameCount(info.durationSec!, 10));
    expect(frames).toHaveLength(30);
    frames.forEach((f, i) => {
      expect(f).toMatchObject({ index: i, width: 640, height: 480 });
      expect(f.timeSec).toBeCloseTo(i / 10, 9);
      expect(f.data).toHaveLength(640 * 480 * 3);
    });
    // The shape moves: frames are not repeats of each other.
    expect(meanAbsDiff(frames[0]!, frames[15]!)).toBeGreaterThan(1);
  });

  it('predicts the frame count of other rates and lengths', async () => {
    for (const [name, fps] of [
      ['small-320x240.mp4', 10],
      ['small-320x240.mp4', 4],
      ['long-320x240.mp4', 10],
      ['clip-640x480.mp4', 3],
    ] as const) {
      const info = await probeVideo(fixture(name));
      const frames = await decodeAll(fixture(name), { fps, crop: 64 });
      expect([name, fps, frames.length]).toEqual([name, fps, sampledFrameCount(info.durationSec!, fps)]);
    }
  });

  it('crops the centre in ffmpeg like the centerCrop stage does', async () => {
    const path = fixture('clip-640x480.mp4');
    const cropped = await decodeAll(path, { crop: 400 });
    const staged = await lastValueFrom(decodeVideo(path).pipe(centerCrop(400), toArray()));
    expect(cropped.map((f) => [f.width, f.height])).toEqual(staged.map(() => [400, 400]));
    for (const i of [0, 14, 29]) expect(psnr(cropped[i]!, staged[i]!)).toBeGreaterThan(35);
  });

  it('scales a source smaller than the crop up before cropping', async () => {
    const path = fixture('small-320x240.mp4');
    const cropped = await decodeAll(path, { crop: 400 });
    const staged = await lastValueFrom(decodeVideo(path).pipe(centerCrop(400), toArray()));
    expect(cropped[0]).toMatchObject({ width: 400, height: 400 });
    // ffmpeg scales bicubic on YUV, the stage bilinear on RGB: close, not identical.
    expect(psnr(cropped[5]!, staged[5]!)).toBeGreaterThan(25);
  });

  it('holds frames back while the budget is exhausted and resumes when frames are released', async () => {
    // 8x8 frames: ffmpeg writes all 30 (5760 bytes) into the pipe and exits, so every frame the
    // decoder does not emit is held back by the budget alone, not by a slow ffmpeg.
    const path = privateCopy('clip-640x480.mp4');
    const budget = new FrameBudget(3);
    const seen: number[] = [];
    const arrived = new Counter();
    const completed = deferred();
    let maxInFlight = 0;
    let releaseAsTheyCome = false;
    decodeVideo(path, { crop: 8, budget }).subscribe({
      next: (f) => {
        seen.push(f.index);
        maxInFlight = Math.max(maxInFlight, budget.inFlight);
        arrived.add();
        // Released a turn later, not inside `next`: a decoder that ignored the budget would go past it.
        if (releaseAsTheyCome) void nextTurn().then(() => budget.releaseThrough(f.index));
      },
      error: (error: unknown) => completed.reject(error),
      complete: () => completed.resolve(),
    });
    await arrived.reach(3);
    // Once ffmpeg is gone it has written every frame; one more turn of the loop reads what the pipe holds.
    expect(await eventually(() => ffmpegProcessesWith(path).length === 0, 60_000)).toBe(true);
    await nextTurn();
    expect(seen).toEqual([0, 1, 2]);
    expect(budget.inFlight).toBe(3);

    budget.releaseThrough(1);
    await arrived.reach(5);
    await nextTurn();
    expect(seen).toEqual([0, 1, 2, 3, 4]);

    releaseAsTheyCome = true;
    budget.releaseThrough(4);
    await completed.promise;
    expect(seen).toEqual([...Array(30).keys()]);
    expect(maxInFlight).toBe(3);
  });

  it('keeps indices in order when the sink releases frames synchronously', async () => {
    const budget = new FrameBudget(2);
    const frames = await lastValueFrom(
      decodeVideo(fixture('long-320x240.mp4'), { crop: 8, budget }).pipe(releaseFrames(budget), toArray()),
    );
    expect(frames.map((f) => f.index)).toEqual([...Array(400).keys()]);
    expect(budget.inFlight).toBe(0);
  });

  it('kills ffmpeg when unsubscribed', async () => {
    const path = privateCopy('long-320x240.mp4');
    const first = await firstValueFrom(decodeVideo(path, { budget: new FrameBudget(2) }));
    expect(first.index).toBe(0);
    expect(await eventually(() => ffmpegProcessesWith(path).length === 0, 60_000)).toBe(true);
  });

  it('errors with CancelledError and kills ffmpeg when the signal aborts', async () => {
    const path = privateCopy('long-320x240.mp4');
    const controller = new AbortController();
    const budget = new FrameBudget(2);
    const arrived = new Counter();
    const done = lastValueFrom(decodeVideo(path, { budget, signal: controller.signal }).pipe(tap(() => arrived.add())));
    // Two frames out and none released: ffmpeg is running, blocked on its 400-frame output.
    await arrived.reach(2);
    expect(budget.exhausted).toBe(true);
    expect(ffmpegProcessesWith(path)).toHaveLength(1);
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(CancelledError);
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED', message: `Decoding ${path} was cancelled.` });
    expect(await eventually(() => ffmpegProcessesWith(path).length === 0, 60_000)).toBe(true);
  });

  it('rejects invalid options when built', () => {
    expect(() => decodeVideo('x.mp4', { fps: 0 })).toThrow('Expected number between 0.001 and 1000 for fps but received 0');
    expect(() => decodeVideo('x.mp4', { crop: -1 })).toThrow('Expected integer between 1 and 8192 for crop but received -1');
  });
});

describe('decodeVideo errors', () => {
  it('a missing file', async () => {
    const { frames, error } = await decodeUntilError('/no/such/clip.mp4');
    expect(frames).toHaveLength(0);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', path: '/no/such/clip.mp4' });
    expect((error as Error).message).toBe('Video file /no/such/clip.mp4 does not exist. Check the path and its permissions.');
  });

  it('a file that is not a video', async () => {
    const path = fixture('not-a-video.mp4');
    const { error } = await decodeUntilError(path);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', path });
    expect((error as Error).message).toBe(
      `${path} is not a video ffmpeg can read (Invalid data found when processing input). ` +
        'Check that the file is a complete video (mp4, mov, mkv, webm, …), not another kind of file.',
    );
  });

  it('a file with no video stream', async () => {
    const path = fixture('audio-only.mp4');
    const { error } = await decodeUntilError(path);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ code: 'BAD_INPUT' });
    expect((error as Error).message).toBe(`${path} has no video stream (it holds only audio). Give vidgan a file with a video track.`);
  });

  it('a truncated file: the frames that are there, then the truncation', async () => {
    const path = fixture('truncated.mp4');
    const { frames, error } = await decodeUntilError(path, { crop: 400 });
    expect(frames.length).toBeGreaterThan(3);
    expect(frames.length).toBeLessThan(25);
    expect(frames.map((f) => f.index)).toEqual([...frames.keys()]);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', path });
    expect((error as Error).message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is truncated: decoded ${frames.length} frames at 10 fps but its header promises 30 \\(3\\.00 s\\)\\.`),
    );
  });

  it('an ffmpeg binary that is missing', async () => {
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = '/no/such/ffmpeg';
    try {
      const { error } = await decodeUntilError(fixture('clip-640x480.mp4'));
      expect(error).toBeInstanceOf(FfmpegError);
      expect(error).toMatchObject({ code: 'FFMPEG_FAILED', exitCode: null });
      expect((error as Error).message).toMatch(/^ffmpeg binary not found: FFMPEG_PATH names \/no\/such\/ffmpeg.*Set FFMPEG_PATH/);
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
  });

  it('an ffmpeg that dies mid-stream: the frames it gave, then FfmpegError with its status and stderr', async () => {
    const ffmpegPath = crashingFfmpeg();
    const { frames, error } = await decodeUntilError(fixture('clip-640x480.mp4'), { crop: 400, ffmpegPath });
    // 1 500 000 bytes hold three whole 400x400 RGB frames.
    expect(frames).toHaveLength(3);
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', exitCode: 1, stderrTail: 'simulated decoder crash' });
    expect((error as FfmpegError).command[0]).toBe(ffmpegPath);
    expect((error as Error).message).toMatch(/^ffmpeg failed while decoding .*clip-640x480\.mp4 \(after 3 frames\) \(exit code 1\): simulated decoder crash\. Command: /);
  });
});
