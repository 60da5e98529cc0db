import { OUTPUT_FORMATS, type OutputFormat } from './output-format';

/** What {@link buildEncodeArgs} needs to know. */
export interface EncodeArgsOptions {
  /** Output file (normally the temporary name from `partialPathFor`). */
  readonly output: string;
  readonly width: number;
  readonly height: number;
  /** Frame rate of the incoming frames (the sampling rate). */
  readonly fps: number;
  /** x264 constant rate factor, 0 (lossless) to 51. */
  readonly crf: number;
  /** x264 preset, e.g. `'veryfast'`. */
  readonly preset: string;
  /** A media file whose audio is muxed in when it has any. */
  readonly audioFrom?: string;
  /** Container, codecs and pixel format; default `OUTPUT_FORMATS['mp4-h264']`. */
  readonly format?: OutputFormat;
}

/**
 * Builds the ffmpeg arguments that encode raw frames from stdin in an output format (default H.264
 * yuv420p MP4). Frames are read as `rgb24`, or as `rgba` when the format keeps alpha.
 *
 * - The muxer is always named with `-f`, so the temporary file's name never decides it.
 * - `mp4-h264`: `libx264` with `yuv420p`, the pixel format every player decodes.
 * - With `audioFrom`, `-map 1:a?` takes its audio only if there is some; `apad` extends short audio
 *   with silence and `-shortest` then trims the result to the video
 *   (https://ffmpeg.org/ffmpeg-filters.html#apad).
 * - The format's own settings (see {@link OUTPUT_FORMATS}): `+faststart` for MP4, profile 4444 for
 *   ProRes, `alpha_mode=1` for VP9.
 *
 * @example
 * buildEncodeArgs({ output: '.out.mp4.77.1a2b3c4d.tmp.mp4', width: 400, height: 400, fps: 10, crf: 20, preset: 'veryfast' });
 */
export function buildEncodeArgs(options: EncodeArgsOptions): string[] {
  const format = options.format ?? OUTPUT_FORMATS['mp4-h264'];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    format.alpha ? 'rgba' : 'rgb24',
    '-s',
    `${options.width}x${options.height}`,
    '-framerate',
    String(options.fps),
    '-i',
    'pipe:0',
  ];
  if (options.audioFrom !== undefined) args.push('-i', options.audioFrom);
  args.push('-map', '0:v:0');
  if (options.audioFrom !== undefined) args.push('-map', '1:a:0?', '-af', 'apad', '-c:a', format.audioCodec, '-b:a', format.audioBitrate, '-shortest');
  args.push(
    '-c:v',
    format.codec,
    ...format.videoArgs({ crf: options.crf, preset: options.preset }),
    '-pix_fmt',
    format.pixelFormat,
    ...format.muxerArgs,
    '-f',
    format.container,
    options.output,
  );
  return args;
}
