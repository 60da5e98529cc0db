import { Observable } from 'rxjs';
import { BadInputError, CancelledError } from '../pipeline/errors';
import { DEFAULT_FPS } from '../pipeline/default-sampling';
import { makeFrame, type Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger, expectNumber } from '../pipeline/validate';
import { buildDecodeArgs, decodedFrameSize } from './ffmpeg/decode-args';
import { FrameSplitter } from './ffmpeg/frame-splitter';
import { sampledFrameCount, type VideoInfo } from './ffmpeg/parse-probe';
import { probeVideo } from './ffmpeg/probe-video';
import { ffmpegFailure, spawnFfmpeg, type FfmpegProcess } from './ffmpeg/spawn-ffmpeg';

/** Options of {@link decodeVideo}. */
export interface DecodeVideoOptions {
  /** Sampling rate in frames per second (default {@link DEFAULT_FPS}, 10), applied by ffmpeg's `fps` filter. */
  readonly fps?: number;
  /** Side of a centre crop done inside ffmpeg (short side scaled up first when smaller); default: full frames. */
  readonly crop?: number;
  /** Shared with the sink to bound the frames in flight; default: none (the decoder runs freely). */
  readonly budget?: FrameBudget;
  /** Aborting it kills ffmpeg and errors the stream with a {@link CancelledError}. */
  readonly signal?: AbortSignal;
  /** ffmpeg input format (`-f`); `'lavfi'` makes `input` a filter graph such as `testsrc2=duration=60`. */
  readonly inputFormat?: string;
  /** Binary to run; default `FFMPEG_PATH`, else `@ffmpeg-installer/ffmpeg`. */
  readonly ffmpegPath?: string;
  /** Called once with the probed source information, before the first frame. */
  readonly onInfo?: (info: VideoInfo) => void;
}

/**
 * A source of the frames of a video, sampled at `fps` by ffmpeg: frame `i` has `index` i and
 * `timeSec` i / fps. Each subscription probes the file, then runs its own ffmpeg; unsubscribing
 * kills it.
 *
 * With a `budget`, ffmpeg's stdout is paused while `budget.maxInFlight` frames are between this
 * source and the sink, so memory stays flat for any length.
 *
 * A truncated file is decoded as far as it goes: the frames are emitted, then the stream errors
 * with a {@link BadInputError} saying how many frames were missing (more than one second's worth
 * short of the probed duration).
 *
 * @example
 * decodeVideo('clip.mp4', { fps: 10, crop: 400 }).subscribe((f) => console.log(f.index, f.timeSec));
 * @throws {InvalidOptionError} at once for a bad `fps` or `crop`.
 * Emits {@link BadInputError} (missing, unreadable, not a video, no video stream, truncated),
 * {@link FfmpegError} (binary missing, ffmpeg failed) or {@link CancelledError} (signal aborted).
 */
export function decodeVideo(input: string, options: DecodeVideoOptions = {}): Observable<Frame> {
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  const crop = options.crop === undefined ? undefined : expectInteger('crop', options.crop, 1, 8192);
  const { budget, signal } = options;

  return new Observable<Frame>((subscriber) => {
    let closed = false;
    let proc: FfmpegProcess | undefined;
    let stopListening: (() => void) | undefined;
    const cancel = () => subscriber.error(new CancelledError(`Decoding ${input} was cancelled.`));
    if (signal?.aborted) {
      cancel();
      return;
    }
    signal?.addEventListener('abort', cancel, { once: true });

    const start = async () => {
      const info = await probeVideo(input, { inputFormat: options.inputFormat, ffmpegPath: options.ffmpegPath, signal });
      if (closed) return;
      options.onInfo?.(info);
      const { width, height } = decodedFrameSize(info.width, info.height, crop);
      const expected = info.durationSec === undefined ? undefined : sampledFrameCount(info.durationSec, fps);
      const child = spawnFfmpeg(
        buildDecodeArgs({ input, fps, width: info.width, height: info.height, crop, inputFormat: options.inputFormat }),
        { ffmpegPath: options.ffmpegPath },
      );
      proc = child;
      const splitter = new FrameSplitter(width * height * 3);
      const pending: Buffer[] = [];
      let index = 0;
      let ended = false;
      let finishing = false;

      const finish = async () => {
        finishing = true;
        const exit = await child.exit;
        if (closed) return;
        if (exit.code !== 0) {
          subscriber.error(ffmpegFailure(child.command, exit, `decoding ${input} (after ${index} frames)`));
        } else if (expected !== undefined && index < expected - Math.max(2, Math.ceil(fps))) {
          subscriber.error(
            new BadInputError(
              `${input} is truncated: decoded ${index} frames at ${fps} fps but its header promises ${expected} ` +
                `(${info.durationSec?.toFixed(2)} s). The frames that were there have been delivered; ` +
                'copy or download the file again to get the rest.',
              { path: input },
            ),
          );
        } else {
          subscriber.complete();
        }
      };
      let pumping = false;
      // Emits what the budget allows; pauses ffmpeg's stdout while frames wait for room. A sink that
      // releases synchronously calls back in here from inside `next`: the outer loop carries on instead.
      const pump = () => {
        if (pumping) return;
        pumping = true;
        while (!closed && pending.length > 0 && !(budget?.exhausted ?? false)) {
          const data = pending.shift() as Buffer;
          const frameIndex = index++;
          budget?.take(frameIndex);
          subscriber.next(makeFrame(frameIndex, frameIndex / fps, width, height, data));
        }
        pumping = false;
        if (closed) return;
        if (pending.length > 0) child.stdout.pause();
        else if (!ended) child.stdout.resume();
        else if (!finishing) void finish();
      };
      stopListening = budget?.onAvailable(pump);
      child.stdout.on('data', (chunk: Buffer) => {
        pending.push(...splitter.push(chunk));
        pump();
      });
      child.stdout.once('end', () => {
        ended = true;
        pump();
      });
      // A child that dies without closing stdout cleanly still ends the stream through `end`;
      // one that cannot start never opens it.
      void child.exit.then((exit) => {
        if (!closed && exit.spawnError !== undefined) subscriber.error(ffmpegFailure(child.command, exit, `decoding ${input}`));
      });
    };
    start().catch((error: unknown) => {
      if (!closed) subscriber.error(error);
    });

    return () => {
      closed = true;
      signal?.removeEventListener('abort', cancel);
      stopListening?.();
      proc?.kill();
    };
  });
}
