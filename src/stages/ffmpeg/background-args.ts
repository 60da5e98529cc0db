import { FIRST_VIDEO_ONLY, QUIET_ARGS, RAW_RGB_TO_STDOUT } from './raw-video-args';

/** What {@link buildBackgroundArgs} needs to know. */
export interface BackgroundArgsOptions {
  /** A picture or video file. */
  readonly input: string;
  /** Size of the frames it must cover. */
  readonly width: number;
  readonly height: number;
  /** For a video: the output's frame rate, and whether to loop it (`-stream_loop -1`); a still gives one frame. */
  readonly video?: { readonly fps: number; readonly loop: boolean };
}

/**
 * Builds the ffmpeg arguments that turn a background picture or video into raw RGB24 frames of
 * exactly `width`x`height` on stdout: scaled, keeping its aspect ratio, until it covers the frame
 * (`force_original_aspect_ratio=increase`, https://ffmpeg.org/ffmpeg-filters.html#scale), then
 * cropped to the centre (`crop` centres by default). A video is sampled at `fps` and, with `loop`,
 * read again from the start whenever it ends (`-stream_loop -1`); the reader stops it when the
 * output is complete, which cuts it to length. A still yields one frame.
 *
 * @example
 * buildBackgroundArgs({ input: 'beach.jpg', width: 400, height: 400 });
 * // [..., '-i', 'beach.jpg', ..., '-vf', 'scale=400:400:force_original_aspect_ratio=increase:flags=bicubic,crop=400:400', '-frames:v', '1', ...]
 */
export function buildBackgroundArgs(options: BackgroundArgsOptions): string[] {
  const { width, height, video } = options;
  const cover = `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${width}:${height}`;
  return [
    ...QUIET_ARGS,
    ...(video?.loop ? ['-stream_loop', '-1'] : []),
    '-i',
    options.input,
    ...FIRST_VIDEO_ONLY,
    '-vf',
    video === undefined ? cover : `fps=fps=${video.fps},${cover}`,
    ...(video === undefined ? ['-frames:v', '1'] : []),
    ...RAW_RGB_TO_STDOUT,
  ];
}
