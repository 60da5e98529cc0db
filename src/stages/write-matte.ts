import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import { CleanupTracker } from '../pipeline/cleanup-tracker';
import { BadInputError } from '../pipeline/errors';
import { makeFrame, type Frame } from '../pipeline/frame';
import { encodeVideo, type EncodeVideoOptions } from './encode-video';
import { formatForPath } from './ffmpeg/output-format';
import { mapFrames } from './map-frames';

/** Options of {@link writeMatte}: those of the encoder that writes it (its format follows the file name). */
export type WriteMatteOptions = Pick<EncodeVideoOptions, 'fps' | 'crf' | 'overwrite' | 'signal' | 'cleanup' | 'ffmpegPath'>;

/** Frames handed to the matte's encoder before the stream waits for it to take them. */
const MATTE_IN_FLIGHT = 4;

/**
 * A pass-through stage that also writes every frame's alpha plane as a grey video (white = subject),
 * the matte that editors without alpha support key with. Its format follows the file name
 * (`.mp4` H.264, `.mov` ProRes, `.webm` VP9), without audio. A frame passes on once the matte's
 * encoder has taken its alpha, so a slow matte encoder slows the stream instead of queueing frames;
 * the matte file appears (renamed from a temporary name) before this stage completes.
 *
 * @example
 * frames.pipe(generate(model), writeMatte('matte.mp4', { fps: 10 }), replaceBackground('#000000'), encodeVideo('out.mp4', { budget }));
 * @throws {InvalidOptionError} for a file name of no known format, or a bad `fps` or `crf`.
 * Emits {@link BadInputError} for a frame without alpha, and whatever `encodeVideo` emits.
 */
export function writeMatte(path: string, options: WriteMatteOptions = {}): OperatorFunction<Frame, Frame> {
  const format = formatForPath(path);
  return (source) =>
    new Observable<Frame>((subscriber) => {
      const mattes = new Subject<Frame>();
      const own = new CleanupTracker();
      const waiting = new Map<number, () => void>();
      let sent = 0;
      let written = 0;
      let finished: (() => void) | undefined;
      let failed = false;
      let upstream: Subscription | undefined;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        upstream?.unsubscribe();
        encoder.unsubscribe();
        void own.settled().then(() => subscriber.error(error));
      };
      const encoder = mattes.pipe(encodeVideo(path, { ...options, format, cleanup: own })).subscribe({
        next: (progress) => {
          written = progress.framesWritten;
          for (const [count, resolve] of waiting) {
            if (count > written) continue;
            waiting.delete(count);
            resolve();
          }
          if (progress.done) finished?.();
        },
        error: fail,
      });
      upstream = source
        .pipe(
          mapFrames(
            (frame) => {
              if (frame.alpha === undefined) {
                throw new BadInputError(`Frame ${frame.index} has no alpha plane to write into the matte ${path}: run a model with the 'composite' head, or alphaFromWhite.`);
              }
              const grey = new Uint8Array(frame.alpha.length * 3);
              for (let p = 0; p < frame.alpha.length; p++) grey.fill(frame.alpha[p] as number, p * 3, p * 3 + 3);
              const count = ++sent;
              const taken = new Promise<Frame>((resolve) => waiting.set(count, () => resolve(frame)));
              mattes.next(makeFrame(frame.index, frame.timeSec, frame.width, frame.height, grey));
              return taken;
            },
            { concurrency: MATTE_IN_FLIGHT },
          ),
        )
        .subscribe({
          next: (frame) => subscriber.next(frame),
          error: fail,
          complete: () => {
            finished = () => subscriber.complete();
            mattes.complete();
          },
        });
      return () => {
        upstream?.unsubscribe();
        encoder.unsubscribe();
        options.cleanup?.track(own.settled());
      };
    });
}
