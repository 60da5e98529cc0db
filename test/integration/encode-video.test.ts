import { existsSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concat, EMPTY, lastValueFrom, NEVER, type Observable, of, ReplaySubject, toArray } from 'rxjs';
import { isTemporaryName } from '../../src/io/write-file-atomic';
import { CleanupTracker } from '../../src/pipeline/cleanup-tracker';
import { BadInputError, CancelledError, FfmpegError, OutputError, OutputExistsError } from '../../src/pipeline/errors';
import { type Frame, makeFrame } from '../../src/pipeline/frame';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import { decodeVideo } from '../../src/stages/decode-video';
import { encodeVideo, type EncodeProgress } from '../../src/stages/encode-video';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { sizeLimitedFfmpeg } from './file-size-limit';
import { ffmpegProcessesWith, ffmpegStandIn, fixture, psnr, tempDir } from './helpers';

/** `count` flat grey frames of `size`², then nothing more: the encoder stays running, waiting for frames. */
function framesThenWait(count: number, size = 64): Observable<Frame> {
  const frames = [...Array(count).keys()].map((i) => makeFrame(i, i / 10, size, size, new Uint8Array(size * size * 3).fill(40 + i)));
  return concat(of(...frames), NEVER);
}

/**
 * Resolves with the name of the first entry of `dir` (already there, or the next to appear), passing over
 * the empty file the output check creates and removes at once (`prepareOutputDir`).
 */
function firstEntryOf(dir: string): Promise<string> {
  const outputs = (name: string) => !name.startsWith('.vidgan-write-check.');
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, (_event, name) => {
      if (name !== null && outputs(name) && existsSync(join(dir, name))) {
        watcher.close();
        resolve(name);
      }
    });
    watcher.on('error', reject);
    const present = readdirSync(dir).find(outputs);
    if (present !== undefined) {
      watcher.close();
      resolve(present);
    }
  });
}

/** What is left at the moment an error reaches the subscriber: files in `dir` and encoders writing there. */
interface AtError {
  readonly error: unknown;
  readonly files: string[];
  readonly encoders: string[];
}

/** Subscribes `run`, and on its error records (synchronously, before anything else runs) what is left in `dir`. */
function stateAtError(run: Observable<unknown>, dir: string, subscribed?: () => void): Promise<AtError> {
  return new Promise((resolve, reject) => {
    run.subscribe({
      error: (error: unknown) => resolve({ error, files: readdirSync(dir), encoders: ffmpegProcessesWith(dir) }),
      complete: () => reject(new Error('expected an error')),
    });
    subscribed?.();
  });
}

/** An ffmpeg stand-in that creates its output file, takes some input, then dies. */
function crashingEncoder(): string {
  return ffmpegStandIn('ffmpeg-crash.sh', [
    '*pipe:0*) for last; do :; done; echo partial > "$last"; head -c 100000 >/dev/null; echo "simulated encoder crash" >&2; exit 1 ;;',
  ]);
}

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

  it('hands the cleanup of an unsubscribe to its tracker: once settled, ffmpeg has exited and no file is left', async () => {
    const dir = tempDir();
    const out = join(dir, 'cancelled.mp4');
    const cleanup = new CleanupTracker();
    const subscription = framesThenWait(3).pipe(encodeVideo(out, { cleanup })).subscribe();
    const partial = await firstEntryOf(dir);
    expect(isTemporaryName(partial)).toBe(true);
    expect(partial).toMatch(/^\.cancelled\.mp4\.\d+\.[0-9a-f]{8}\.tmp\.mp4$/);
    expect(ffmpegProcessesWith(dir)).toHaveLength(1);

    subscription.unsubscribe();
    expect(cleanup.size).toBe(1);
    await cleanup.settled();
    expect(ffmpegProcessesWith(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('errors with CancelledError only after ffmpeg has exited and its partial file is gone when the signal aborts', async () => {
    const dir = tempDir();
    const out = join(dir, 'aborted.mp4');
    const controller = new AbortController();
    const atError = stateAtError(framesThenWait(3).pipe(encodeVideo(out, { signal: controller.signal })), dir);
    // Abort once ffmpeg runs and has created its temporary file.
    await firstEntryOf(dir);
    expect(ffmpegProcessesWith(dir)).toHaveLength(1);
    controller.abort();
    const { error, files, encoders } = await atError;
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ code: 'CANCELLED', message: `Encoding ${out} was cancelled.` });
    expect(files).toEqual([]);
    expect(encoders).toEqual([]);
  });

  it('passes an upstream error on only after ffmpeg has exited and its partial file is gone', async () => {
    const dir = tempDir();
    const out = join(dir, 'upstream.mp4');
    const source = new ReplaySubject<Frame>(); // keeps the frames until encodeVideo has checked its folder and subscribes
    const atError = stateAtError(source.pipe(encodeVideo(out)), dir);
    for (let i = 0; i < 3; i++) source.next(makeFrame(i, i / 10, 64, 64, new Uint8Array(64 * 64 * 3).fill(90)));
    await firstEntryOf(dir);
    const decoderBroke = new BadInputError('the decoder broke');
    source.error(decoderBroke);
    const { error, files, encoders } = await atError;
    expect(error).toBe(decoderBroke);
    expect(files).toEqual([]);
    expect(encoders).toEqual([]);
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

  it('reports an encoder that dies mid-stream only after its partial file is gone', async () => {
    const dir = tempDir();
    const out = join(dir, 'crash.mp4');
    const ffmpegPath = crashingEncoder();
    const { error, files } = await stateAtError(decodeVideo(fixture('clip-640x480.mp4'), { crop: 400 }).pipe(encodeVideo(out, { ffmpegPath })), dir);
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', exitCode: 1, stderrTail: 'simulated encoder crash' });
    expect((error as Error).message).toMatch(/^ffmpeg failed while encoding .*crash\.mp4 \(after \d+ frames\) \(exit code 1\): simulated encoder crash\./);
    expect(files).toEqual([]);
  });

  it('gives an OutputError, not an ffmpeg failure, when the disk refuses the video, and leaves no file', async () => {
    const dir = tempDir();
    const out = join(dir, 'full.mp4');
    // ffmpeg may not write more than 16 KiB: its writes then fail with EFBIG, as on a full disk with ENOSPC.
    const ffmpegPath = sizeLimitedFfmpeg(16 * 1024);
    const { error, files, encoders } = await stateAtError(
      decodeVideo(fixture('clip-640x480.mp4'), { crop: 400 }).pipe(encodeVideo(out, { ffmpegPath, crf: 0 })),
      dir,
    );
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'OUTPUT_FAILED', errno: 'EFBIG', path: out });
    const message = (error as Error).message;
    expect(message.startsWith(`Could not write ${out}: ffmpeg: `)).toBe(true);
    expect(message).toContain('File too large (EFBIG). Nothing half-written was left behind.');
    expect((error as Error & { cause: Error }).cause.cause).toBeInstanceOf(FfmpegError);
    expect(files).toEqual([]);
    expect(encoders).toEqual([]);
  });

  it('rejects invalid options when built', () => {
    expect(() => encodeVideo('x.mp4', { crf: 60 })).toThrow('Expected integer between 0 and 51 for crf but received 60');
    expect(() => encodeVideo('x.mp4', { preset: 'warp' as never })).toThrow(/^Expected one of 'ultrafast'.* for preset but received 'warp'$/);
  });
});
