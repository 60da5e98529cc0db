/** What {@link buildEncodeArgs} needs to know. */
export interface EncodeArgsOptions {
  /** Output file (normally the temporary `.partial.mp4` name). */
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
}

/**
 * Builds the ffmpeg arguments that encode raw RGB24 frames from stdin to an H.264 MP4.
 *
 * - `libx264` with `yuv420p`, the pixel format every player decodes.
 * - With `audioFrom`, `-map 1:a?` takes its audio only if there is some; `apad` extends short audio
 *   with silence and `-shortest` then trims the result to the video
 *   (https://ffmpeg.org/ffmpeg-filters.html#apad).
 * - `+faststart` moves the index to the front so the file streams.
 *
 * @example
 * buildEncodeArgs({ output: 'out.partial.mp4', width: 400, height: 400, fps: 10, crf: 20, preset: 'veryfast' });
 */
export function buildEncodeArgs(options: EncodeArgsOptions): string[] {
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
    'rgb24',
    '-s',
    `${options.width}x${options.height}`,
    '-framerate',
    String(options.fps),
    '-i',
    'pipe:0',
  ];
  if (options.audioFrom !== undefined) args.push('-i', options.audioFrom);
  args.push('-map', '0:v:0');
  if (options.audioFrom !== undefined) args.push('-map', '1:a:0?', '-af', 'apad', '-c:a', 'aac', '-b:a', '160k', '-shortest');
  args.push(
    '-c:v',
    'libx264',
    '-preset',
    options.preset,
    '-crf',
    String(options.crf),
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    options.output,
  );
  return args;
}
