import { concatMap, map, Observable, type OperatorFunction } from 'rxjs';
import type { CleanupTracker } from '../pipeline/cleanup-tracker';
import { DEFAULT_FPS } from '../pipeline/default-sampling';
import { BadInputError } from '../pipeline/errors';
import { withPixels, type Frame } from '../pipeline/frame';
import { expectNumber } from '../pipeline/validate';
import { type Background, isWhite, parseBackground } from './background';
import { compositeOver, foregroundFromWhite } from './composite-over';
import { decontaminateEdges } from './decontaminate-edges';
import { buildBackgroundArgs } from './ffmpeg/background-args';
import { FrameReader } from './ffmpeg/frame-reader';

/** Options of {@link replaceBackground}. */
export interface ReplaceBackgroundOptions {
  /** Frame rate of the stream, at which a background video is sampled (default 10). */
  readonly fps?: number;
  /** Loop a background video shorter than the stream (default true); otherwise the stream errors when it runs out. */
  readonly loop?: boolean;
  /** Receives the cleanup (the background decoder killed) started when the stage is unsubscribed. */
  readonly cleanup?: CleanupTracker;
  /** Binary to run; default `FFMPEG_PATH`, else `@ffmpeg-installer/ffmpeg`. */
  readonly ffmpegPath?: string;
}

/**
 * A stage that puts the subject of each frame over another background, from the frame's white
 * composite and its alpha plane (the composite head's, or {@link alphaFromWhite}'s): a colour, a
 * picture (scaled to cover the frame, centred), a video (the same, sampled at `fps`, looped, and cut
 * where the stream ends), or `transparent`, which keeps the alpha and turns the RGB into the predicted
 * foreground colour for formats that store alpha. Soft edges use the foreground colour, never the
 * white composite, so no white halo shows over a dark background (see `composite-over.ts`), and the
 * old background's colour is taken out of them ({@link decontaminateEdges}).
 *
 * Opaque backgrounds drop the alpha plane (the frames are final); `white` leaves the pixels as they are.
 * A picture or video background is read by its own ffmpeg, started at the first frame and stopped
 * before this stage completes or errors.
 *
 * @example
 * frames.pipe(generate(model), replaceBackground('#000000'), encodeVideo('black.mp4', { budget }));
 * frames.pipe(generate(model), replaceBackground('transparent'), encodeVideo('alpha.mov', { format: 'mov-prores4444', budget }));
 * @throws {InvalidOptionError} for a bad background spelling or `fps`.
 * Emits {@link BadInputError} for a frame without alpha (over anything but white) or an unreadable
 * background file, {@link FfmpegError} when its decoder fails.
 */
export function replaceBackground(background: string | Background, options: ReplaceBackgroundOptions = {}): OperatorFunction<Frame, Frame> {
  const bg = parseBackground(background);
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  if (bg.kind === 'transparent') return map((frame) => withPixels(frame, foregroundOf(frame, 'transparent')));
  if (bg.kind === 'colour' && isWhite(bg)) return map((frame) => withPixels(frame, frame.data, frame.width, frame.height, { alpha: undefined }));
  if (bg.kind === 'colour') return map((frame) => opaque(frame, compositeOver(foregroundOf(frame, 'a colour'), frame.alpha!, bg.rgb)));
  const file = bg;
  return (source) =>
    new Observable<Frame>((subscriber) => {
      let reader: FrameReader | undefined;
      let still: Uint8Array | undefined;
      // The background video's next frame: frame i of the stream gets frame i of the (looped) video,
      // also when the stream starts later (a frame range) or frames were dropped on the way.
      let nextIndex = 0;
      let released: Promise<void> | undefined;
      const release = () => (released ??= reader?.close() ?? Promise.resolve());
      const pixelsFor = async (frame: Frame): Promise<Uint8Array> => {
        if (still !== undefined) return still;
        const video = file.kind === 'video' ? { fps, loop: options.loop ?? true } : undefined;
        reader ??= new FrameReader(buildBackgroundArgs({ input: file.path, width: frame.width, height: frame.height, video }), frame.width * frame.height * 3, file.path, {
          ffmpegPath: options.ffmpegPath,
        });
        const read = () =>
          reader!.read().catch((error: unknown) => {
            throw error instanceof BadInputError ? error : new BadInputError(`Cannot read the background ${file.path}: ${(error as Error).message}`, { path: file.path, cause: error });
          });
        if (file.kind === 'video') for (; nextIndex < frame.index; nextIndex++) await read();
        nextIndex++;
        const pixels = await read();
        if (pixels === undefined) {
          throw new BadInputError(`The background video ${file.path} ended at frame ${frame.index} of the stream; let it loop, or choose a longer one.`, { path: file.path });
        }
        if (file.kind === 'image') {
          still = pixels;
          void release();
        }
        return pixels;
      };
      const upstream = source
        .pipe(concatMap(async (frame) => opaque(frame, compositeOver(foregroundOf(frame, `the ${file.kind} ${file.path}`), frame.alpha!, await pixelsFor(frame)))))
        .subscribe({
          next: (frame) => subscriber.next(frame),
          error: (error: unknown) => void release().then(() => subscriber.error(error)),
          complete: () => void release().then(() => subscriber.complete()),
        });
      return () => {
        upstream.unsubscribe();
        options.cleanup?.track(release());
      };
    });
}

/** The frame's foreground colour: recovered from its white composite, with the old background taken out of soft edges. */
function foregroundOf(frame: Frame, over: string): Uint8Array {
  const { alpha } = frame;
  if (alpha !== undefined) return decontaminateEdges(foregroundFromWhite(frame.data, alpha), alpha, frame.width, frame.height);
  throw new BadInputError(
    `Frame ${frame.index} has no alpha plane, which putting it over ${over} needs. Run a model with the 'composite' head ` +
      "(generate attaches its alpha), or derive alpha from white with the alphaFromWhite stage for an 'rgb' head.",
  );
}

function opaque(frame: Frame, rgb: Uint8Array): Frame {
  return withPixels(frame, rgb, frame.width, frame.height, { alpha: undefined });
}
