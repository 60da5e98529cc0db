import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY, lastValueFrom, of, take, toArray } from 'rxjs';
import { BadInputError, CancelledError, FfmpegError, OutputExistsError } from '../../src/pipeline/errors';
import { makeFrame } from '../../src/pipeline/frame';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import { decodeVideo } from '../../src/stages/decode-video';
import { encodeVideo, type EncodeProgress } from '../../src/stages/encode-video';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { mapFrames } from '../../src/stages/map-frames';
import { crashingFfmpeg, eventually, ffmpegProcessesWith, fixture, psnr, tempDir } from './helpers';

const slowly = mapFrames((f) => new Promise<typeof f>((resolve) => setTimeout(() => resolve(f), 20)));

/** Runs an encode to its end and returns the progress seen and the error it ended with. */
async function runUntilError(run: ReturnType<typeof lastValueFrom<EncodeProgress>>): Promise<unknown> {
  return run.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('encodeVideo', () => {
  it('round-trips decoded frames within a PSNR tolerance, at the sampling rate, with the source audio', async () => {
    const source = fixture('clip-640x480.mp4');
    const out = join(tempDir(), 'out.mp4');
    const budget = new FrameBudget(8);
    const progress = await lastValueFrom(
      decodeVideo(source, { crop: 400, budget }).pipe(encodeVideo(out, { budget, audioFrom: source, crf: 18 }), toArray()),
    );
    expect(progress.at(-1)).toEqual({ path: out, framesWritten: 30, timeSec: 3, done: true });
    expect(progress.filter((p) => !p.done).map((p) => p.framesWritten)).toEqual([...Array(30).keys()].map((i) => i + 1));
    expect(readdirSync(join(out, '..'))).toEqual(['out.mp4']);

    const info = await probeVideo(out);
    expect(info).toMatchObject({ width: 400, height: 400, fps: 10, hasAudio: true, videoCodec: 'h264' });
    // Audio is trimmed to the video: the file is as long as its 30 frames at 10 fps.
    expect(info.durationSec).toBeGreaterThanOrEqual(2.95);
    expect(info.durationSec).toBeLessThanOrEqual(3.1);

    const original = await lastValueFrom(decodeVideo(source, { crop: 400 }).pipe(toArray()));
    const encoded = await lastValueFrom(decodeVideo(out, { fps: 10 }).pipe(toArray()));
    expect(encoded).toHaveLength(30);
    for (let i = 0; i < 30; i++) expect(psnr(encoded[i]!, original[i]!)).toBeGreaterThan(30);
    // Frames stay in place: frame 10 matches the original frame 10 much better than frame 20 does.
    expect(psnr(encoded[10]!, original[10]!)).toBeGreaterThan(psnr(encoded[10]!, original[20]!) + 5);
  });

  it('writes no audio track when the source has none', async () => {
    const source = fixture('small-320x240.mp4');
    const out = join(tempDir(), 'silent.mp4');
    await lastValueFrom(decodeVideo(source, { crop: 200 }).pipe(encodeVideo(out, { audioFrom: source, fps: 10 })));
    expect(await probeVideo(out)).toMatchObject({ width: 200, height: 200, hasAudio: false });
  });

  it('kills ffmpeg and leaves no output when unsubscribed mid-stream', async () => {
    const dir = tempDir();
    const out = join(dir, 'cancelled.mp4');
    const budget = new FrameBudget(4);
    await lastValueFrom(
      decodeVideo(fixture('long-320x240.mp4'), { crop: 100, budget }).pipe(slowly, encodeVideo(out, { budget }), take(5)),
    );
    expect(await eventually(() => ffmpegProcessesWith(dir).length === 0 && readdirSync(dir).length === 0)).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('errors with CancelledError, kills ffmpeg and leaves no output when the signal aborts', async () => {
    const dir = tempDir();
    const out = join(dir, 'aborted.mp4');
    const controller = new AbortController();
    const budget = new FrameBudget(4);
    const done = lastValueFrom(
      decodeVideo(fixture('long-320x240.mp4'), { crop: 100, budget, signal: controller.signal }).pipe(
        slowly,
        encodeVideo(out, { budget, signal: controller.signal }),
      ),
    );
    done.catch(() => undefined);
    // Abort once ffmpeg runs and has created its temporary file.
    expect(await eventually(() => ffmpegProcessesWith(dir).length === 1 && existsSync(join(dir, 'aborted.partial.mp4')))).toBe(true);
    expect(existsSync(out)).toBe(false);
    controller.abort();
    const error = await runUntilError(done);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(await eventually(() => ffmpegProcessesWith(dir).length === 0 && readdirSync(dir).length === 0)).toBe(true);
  });

  it('refuses to overwrite an existing file unless asked', async () => {
    const out = join(tempDir(), 'exists.mp4');
    writeFileSync(out, 'precious');
    const frame = makeFrame(0, 0, 16, 16, new Uint8Array(16 * 16 * 3));
    const error = await runUntilError(lastValueFrom(of(frame).pipe(encodeVideo(out))));
    expect(error).toBeInstanceOf(OutputExistsError);
    expect(error).toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect((error as Error).message).toBe(`${out} already exists. Remove it, choose another name, or pass overwrite.`);
    await lastValueFrom(of(frame).pipe(encodeVideo(out, { overwrite: true })));
    expect(await probeVideo(out)).toMatchObject({ width: 16, height: 16 });
  });

  it('reports an output folder that cannot be written', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const out = join(blocker, 'out.mp4');
    const error = await runUntilError(lastValueFrom(decodeVideo(fixture('clip-640x480.mp4')).pipe(encodeVideo(out))));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', path: blocker });
    expect((error as Error).message).toMatch(
      /^Cannot write to output folder .*a-file \((EEXIST|ENOTDIR)\)\. Choose a folder you can write to, or fix its permissions\.$/,
    );
  });

  it('reports a source with no frames', async () => {
    const out = join(tempDir(), 'empty.mp4');
    const error = await runUntilError(lastValueFrom(EMPTY.pipe(encodeVideo(out))));
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe(`No frames to encode into ${out}: the source ended before its first frame.`);
  });

  it('reports an encoder that dies mid-stream and leaves no output', async () => {
    const dir = tempDir();
    const out = join(dir, 'crash.mp4');
    const ffmpegPath = crashingFfmpeg();
    const error = await runUntilError(
      lastValueFrom(decodeVideo(fixture('clip-640x480.mp4'), { crop: 400 }).pipe(encodeVideo(out, { ffmpegPath }))),
    );
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', exitCode: 1, stderrTail: 'simulated encoder crash' });
    expect((error as Error).message).toMatch(/^ffmpeg failed while encoding .*crash\.mp4 \(after \d+ frames\) \(exit code 1\): simulated encoder crash\./);
    expect(await eventually(() => readdirSync(dir).length === 0)).toBe(true);
  });

  it('rejects invalid options when built', () => {
    expect(() => encodeVideo('x.mp4', { crf: 60 })).toThrow('Expected integer between 0 and 51 for crf but received 60');
    expect(() => encodeVideo('x.mp4', { preset: 'warp' as never })).toThrow(/^Expected one of 'ultrafast'.* for preset but received 'warp'$/);
  });
});
