import { DEFAULT_FPS } from '../pipeline/default-sampling';
import { rename, rm } from 'node:fs/promises';
import { Observable, type OperatorFunction, type Subscription } from 'rxjs';
import { outputFailure } from '../io/output-failure';
import type { CleanupTracker } from '../pipeline/cleanup-tracker';
import { BadInputError, CancelledError, type VidganError } from '../pipeline/errors';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger, expectNumber, expectOneOf } from '../pipeline/validate';
import { buildEncodeArgs } from './ffmpeg/encode-args';
import { outputFormat, type OutputFormat, type OutputFormatName } from './ffmpeg/output-format';
import { ffmpegFailure, spawnFfmpeg, type FfmpegExit, type FfmpegProcess } from './ffmpeg/spawn-ffmpeg';
import { interleaveAlpha } from './interleave-alpha';
import { partialPathFor, prepareOutputFile } from './output-path';

/** x264 presets, fastest first (https://trac.ffmpeg.org/wiki/Encode/H.264#Preset). */
export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;

/**
 * The default x264 constant rate factor of vidgan's outputs (`encodeVideo`, `processVideo`,
 * `vidgan process` and `batch`): 18, visually lossless for H.264
 * (https://trac.ffmpeg.org/wiki/Encode/H.264#crf).
 */
export const DEFAULT_CRF = 18;

/** Options of {@link encodeVideo}. */
export interface EncodeVideoOptions {
  /** Frame rate of the output, normally the sampling rate (default 10). */
  readonly fps?: number;
  /** x264 constant rate factor: 0 lossless … 51 worst; default {@link DEFAULT_CRF} (18). VP9 uses it too. */
  readonly crf?: number;
  /** x264 preset; default `'veryfast'` (the speed/size balance measured in docs/PIPELINE.md). */
  readonly preset?: (typeof X264_PRESETS)[number];
  /** A media file (usually the source video) whose audio is muxed in, trimmed to the video. */
  readonly audioFrom?: string;
  /** Replace an existing output file (default false). */
  readonly overwrite?: boolean;
  /** The budget shared with the source; each frame is released once ffmpeg has taken it. */
  readonly budget?: FrameBudget;
  /** Aborting it kills ffmpeg, removes the partial file and then errors with a {@link CancelledError}. */
  readonly signal?: AbortSignal;
  /**
   * Container, codecs and pixel format (`'mp4-h264'`, `'mov-prores4444'`, `'webm-vp9'`, or one of
   * `OUTPUT_FORMATS`); default `'mp4-h264'`, whatever the file's extension (`formatForPath` picks one
   * by extension). Formats with alpha write each frame's `alpha` plane (opaque where a frame has none).
   */
  readonly format?: OutputFormatName | OutputFormat;
  /**
   * Receives the cleanup started when the stage is unsubscribed (ffmpeg killed and reaped, the
   * partial file removed), for the job that owns the output to await. An error or completion is only
   * sent once that cleanup is over, so it needs no tracker.
   */
  readonly cleanup?: CleanupTracker;
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
 * A sink that encodes frames to a video at `fps` (default: H.264 yuv420p MP4; see `format`), muxing
 * in the audio of `audioFrom` when it has any. Frames go to ffmpeg's stdin honouring
 * `write()`/`drain`; the file is written under a unique hidden temporary name (`partialPathFor`) and
 * renamed when ffmpeg has finished, so a cancelled or failed encode leaves no file that looks
 * complete. The size is taken from the first frame.
 *
 * Before it sends an error (its own, upstream's or a cancellation) the stage kills ffmpeg, waits for
 * it to exit and removes the temporary file; on a plain unsubscribe that cleanup goes to
 * `options.cleanup`.
 *
 * @example
 * decodeVideo('in.mp4').pipe(centerCrop(400), encodeVideo('out.mp4', { audioFrom: 'in.mp4' }), last()).subscribe();
 * @throws {InvalidOptionError} at once for a bad `fps`, `crf`, `preset` or `format`.
 * Emits {@link BadInputError} (folder not writable, no frames, frame size changed),
 * {@link OutputExistsError}, {@link OutputError} (disk full, or the file cannot be renamed),
 * {@link FfmpegError} or {@link CancelledError}.
 */
export function encodeVideo(path: string, options: EncodeVideoOptions = {}): OperatorFunction<Frame, EncodeProgress> {
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  const crf = expectInteger('crf', options.crf ?? DEFAULT_CRF, 0, 51);
  const preset = expectOneOf('preset', options.preset ?? 'veryfast', X264_PRESETS);
  const format = typeof options.format === 'object' ? options.format : outputFormat(options.format ?? 'mp4-h264');
  const { budget, signal } = options;

  return (source) =>
    new Observable<EncodeProgress>((subscriber) => {
      const partial = partialPathFor(path);
      // `closed`: the subscriber is gone. `ended`: no more work is started (success or failure).
      let closed = false;
      let ended = false;
      let succeeded = false;
      let proc: FfmpegProcess | undefined;
      let upstream: Subscription | undefined;
      let released: Promise<void> | undefined;
      const queue: Frame[] = [];
      let writable = true;
      let upstreamDone = false;
      let ending = false;
      let framesWritten = 0;
      let size: { width: number; height: number } | undefined;

      // Releases what this stage owns: stops upstream, kills ffmpeg, waits for it to exit (so it
      // cannot recreate the file), then removes the partial file. Never rejects; runs once.
      const release = (): Promise<void> => {
        ended = true;
        released ??= (async () => {
          signal?.removeEventListener('abort', cancel);
          upstream?.unsubscribe();
          queue.length = 0;
          const child = proc;
          if (child === undefined || succeeded) return;
          child.kill();
          await child.exit;
          await rm(partial, { force: true }).catch(() => undefined);
        })();
        return released;
      };
      const fail = (error: unknown) => {
        if (closed || ended) return;
        void release().then(() => {
          if (!closed) subscriber.error(error);
        });
      };
      const cancel = () => fail(new CancelledError(`Encoding ${path} was cancelled.`));
      if (signal?.aborted) {
        subscriber.error(new CancelledError(`Encoding ${path} was cancelled.`));
        return;
      }
      signal?.addEventListener('abort', cancel, { once: true });

      const startEncoder = (first: Frame): FfmpegProcess => {
        size = { width: first.width, height: first.height };
        const child = spawnFfmpeg(
          buildEncodeArgs({ output: partial, ...size, fps, crf, preset, audioFrom: options.audioFrom, format }),
          { ffmpegPath: options.ffmpegPath },
        );
        child.stdout.resume();
        child.stdin.on('drain', () => {
          writable = true;
          pump();
        });
        // ffmpeg ending before we closed its stdin is a failure, whatever its status.
        void child.exit.then((exit) => {
          if (!ending) fail(encoderFailure(child, exit, `encoding ${path} (after ${framesWritten} frames)`, path));
        });
        return child;
      };

      const finish = async (child: FfmpegProcess) => {
        child.stdin.end();
        const exit = await child.exit;
        if (closed) return;
        if (exit.code !== 0) return fail(encoderFailure(child, exit, `encoding ${path}`, path));
        try {
          await rename(partial, path);
        } catch (error) {
          return fail(outputFailure(error, path));
        }
        succeeded = true;
        if (closed) return;
        subscriber.next({ path, framesWritten, timeSec: framesWritten / fps, done: true });
        subscriber.complete();
      };

      const pump = () => {
        while (!closed && !ended && writable && queue.length > 0) {
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
          let bytes: Uint8Array;
          try {
            bytes = format.alpha ? interleaveAlpha(frame) : frame.data;
          } catch (error) {
            return fail(new BadInputError(`Cannot encode frame ${frame.index} into ${path}: ${(error as Error).message}.`, { cause: error }));
          }
          const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          writable = proc.stdin.write(data, (error) => {
            if (error || closed || ended) return;
            framesWritten++;
            budget?.releaseThrough(frame.index);
            subscriber.next({ path, framesWritten, timeSec: framesWritten / fps, done: false });
          });
        }
        if (closed || ended || !upstreamDone || queue.length > 0 || ending) return;
        ending = true;
        if (proc === undefined) {
          return fail(new BadInputError(`No frames to encode into ${path}: the source ended before its first frame.`));
        }
        finish(proc).catch(fail);
      };

      prepareOutputFile(path, { overwrite: options.overwrite ?? false })
        .then(() => {
          if (closed || ended) return;
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
        // After an error or completion this is the finished cleanup; after a plain unsubscribe it is
        // the one starting now, which the owner of the output awaits through `cleanup`.
        const done = release();
        if (!succeeded) options.cleanup?.track(done);
      };
    });
}

// ffmpeg's words for a write that the file system refused, and the errno each stands for.
const OUTPUT_ERRNOS: ReadonlyArray<readonly [RegExp, string]> = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/File too large/i, 'EFBIG'],
  [/Read-only file system/i, 'EROFS'],
];

/** An ffmpeg failure; an {@link OutputError} when its stderr says the output could not be written. */
function encoderFailure(child: FfmpegProcess, exit: FfmpegExit, task: string, path: string): VidganError {
  const failure = ffmpegFailure(child.command, exit, task);
  const found = OUTPUT_ERRNOS.find(([pattern]) => pattern.test(exit.stderrTail));
  if (found === undefined) return failure;
  const line = exit.stderrTail.split('\n').find((l) => found[0].test(l))?.trim() ?? found[1];
  return outputFailure(Object.assign(new Error(`ffmpeg: ${line}`, { cause: failure }), { code: found[1] }), path);
}
