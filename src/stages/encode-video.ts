import { rename, rm } from 'node:fs/promises';
import { Observable, type OperatorFunction, type Subscription } from 'rxjs';
import { BadInputError, CancelledError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger, expectNumber, expectOneOf } from '../pipeline/validate';
import { buildEncodeArgs } from './ffmpeg/encode-args';
import { ffmpegFailure, spawnFfmpeg, type FfmpegProcess } from './ffmpeg/spawn-ffmpeg';
import { partialPathFor, prepareOutputFile } from './output-path';

/** x264 presets, fastest first (https://trac.ffmpeg.org/wiki/Encode/H.264#Preset). */
export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;

/** Options of {@link encodeVideo}. */
export interface EncodeVideoOptions {
  /** Frame rate of the output, normally the sampling rate (default 10). */
  readonly fps?: number;
  /** x264 constant rate factor: 0 lossless … 51 worst; default 20 (visually near-transparent). */
  readonly crf?: number;
  /** x264 preset; default `'veryfast'` (the speed/size balance measured in docs/PIPELINE.md). */
  readonly preset?: (typeof X264_PRESETS)[number];
  /** A media file (usually the source video) whose audio is muxed in, trimmed to the video. */
  readonly audioFrom?: string;
  /** Replace an existing output file (default false). */
  readonly overwrite?: boolean;
  /** The budget shared with the source; each frame is released once ffmpeg has taken it. */
  readonly budget?: FrameBudget;
  /** Aborting it kills ffmpeg, removes the partial file and errors with a {@link CancelledError}. */
  readonly signal?: AbortSignal;
  /** Binary to run; default `FFMPEG_PATH`, else `@ffmpeg-installer/ffmpeg`. */
  readonly ffmpegPath?: string;
}

/** Progress of {@link encodeVideo}: one per frame written, then a last one with `done: true`. */
export interface EncodeProgress {
  /** The output file (final name; it only exists once `done`). */
  readonly path: string;
  readonly framesWritten: number;
  /** Video time written so far, `framesWritten / fps`. */
  readonly timeSec: number;
  readonly done: boolean;
}

/**
 * A sink that encodes frames to an H.264 MP4 (yuv420p) at `fps`, muxing in the audio of
 * `audioFrom` when it has any. Frames go to ffmpeg's stdin honouring `write()`/`drain`; the file is
 * written as `<name>.partial.mp4` and renamed when ffmpeg has finished, so a cancelled or failed
 * encode leaves no file that looks complete. The size is taken from the first frame.
 *
 * @example
 * decodeVideo('in.mp4').pipe(centerCrop(400), encodeVideo('out.mp4', { audioFrom: 'in.mp4' }), last()).subscribe();
 * @throws {InvalidOptionError} at once for a bad `fps`, `crf` or `preset`.
 * Emits {@link BadInputError} (folder not writable, no frames, frame size changed),
 * {@link OutputExistsError}, {@link FfmpegError} or {@link CancelledError}.
 */
export function encodeVideo(path: string, options: EncodeVideoOptions = {}): OperatorFunction<Frame, EncodeProgress> {
  const fps = expectNumber('fps', options.fps ?? 10, 0.001, 1000);
  const crf = expectInteger('crf', options.crf ?? 20, 0, 51);
  const preset = expectOneOf('preset', options.preset ?? 'veryfast', X264_PRESETS);
  const { budget, signal } = options;
  const partial = partialPathFor(path);

  return (source) =>
    new Observable<EncodeProgress>((subscriber) => {
      let closed = false;
      let succeeded = false;
      let proc: FfmpegProcess | undefined;
      let upstream: Subscription | undefined;
      const queue: Frame[] = [];
      let writable = true;
      let upstreamDone = false;
      let ending = false;
      let framesWritten = 0;
      let size: { width: number; height: number } | undefined;

      const fail = (error: unknown) => {
        if (!closed) subscriber.error(error);
      };
      const cancel = () => fail(new CancelledError(`Encoding ${path} was cancelled.`));
      if (signal?.aborted) {
        cancel();
        return;
      }
      signal?.addEventListener('abort', cancel, { once: true });

      const startEncoder = (first: Frame): FfmpegProcess => {
        size = { width: first.width, height: first.height };
        const child = spawnFfmpeg(
          buildEncodeArgs({ output: partial, ...size, fps, crf, preset, audioFrom: options.audioFrom }),
          { ffmpegPath: options.ffmpegPath },
        );
        child.stdout.resume();
        child.stdin.on('drain', () => {
          writable = true;
          pump();
        });
        // ffmpeg ending before we closed its stdin is a failure, whatever its status.
        void child.exit.then((exit) => {
          if (!ending) fail(ffmpegFailure(child.command, exit, `encoding ${path} (after ${framesWritten} frames)`));
        });
        return child;
      };

      const finish = async (child: FfmpegProcess) => {
        child.stdin.end();
        const exit = await child.exit;
        if (closed) return;
        if (exit.code !== 0) return fail(ffmpegFailure(child.command, exit, `encoding ${path}`));
        await rename(partial, path);
        succeeded = true;
        if (closed) return;
        subscriber.next({ path, framesWritten, timeSec: framesWritten / fps, done: true });
        subscriber.complete();
      };

      const pump = () => {
        while (!closed && writable && queue.length > 0) {
          const frame = queue.shift() as Frame;
          proc ??= startEncoder(frame);
          if (size !== undefined && (frame.width !== size.width || frame.height !== size.height)) {
            return fail(
              new BadInputError(
                `Frame ${frame.index} is ${frame.width}x${frame.height} but ${path} was started at ${size.width}x${size.height}. ` +
                  'Every frame of a video must have the same size: crop or scale them first (centerCrop).',
              ),
            );
          }
          const data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
          writable = proc.stdin.write(data, (error) => {
            if (error || closed) return;
            framesWritten++;
            budget?.releaseThrough(frame.index);
            subscriber.next({ path, framesWritten, timeSec: framesWritten / fps, done: false });
          });
        }
        if (closed || !upstreamDone || queue.length > 0 || ending) return;
        ending = true;
        if (proc === undefined) {
          return fail(new BadInputError(`No frames to encode into ${path}: the source ended before its first frame.`));
        }
        finish(proc).catch(fail);
      };

      prepareOutputFile(path, { overwrite: options.overwrite ?? false })
        .then(() => {
          if (closed) return;
          upstream = source.subscribe({
            next: (frame) => {
              queue.push(frame);
              pump();
            },
            error: fail,
            complete: () => {
              upstreamDone = true;
              pump();
            },
          });
        })
        .catch(fail);

      return () => {
        closed = true;
        signal?.removeEventListener('abort', cancel);
        upstream?.unsubscribe();
        queue.length = 0;
        const child = proc;
        if (child !== undefined && !succeeded) {
          child.kill();
          // Remove the partial file only once ffmpeg is gone, so it cannot recreate it.
          void child.exit.then(() => rm(partial, { force: true }));
        }
      };
    });
}
