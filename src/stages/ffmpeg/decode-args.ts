import { cropGeometry } from '../crop-geometry';
import { FIRST_VIDEO_ONLY, QUIET_ARGS, RAW_RGB_TO_STDOUT } from './raw-video-args';

/** What {@link buildDecodeArgs} needs to know. */
export interface DecodeArgsOptions {
  /** The input: a file path, or a filter graph when `inputFormat` is `'lavfi'`. */
  readonly input: string;
  /** Sampling rate in frames per second. */
  readonly fps: number;
  /** Source size after rotation, as the decoder will deliver it. */
  readonly width: number;
  readonly height: number;
  /** Side of a centre crop done inside ffmpeg, or undefined for full frames. */
  readonly crop?: number;
  /** ffmpeg input format (`-f`), e.g. `'lavfi'`; omitted to let ffmpeg detect it. */
  readonly inputFormat?: string;
}

/**
 * Builds the ffmpeg arguments that decode the first video stream to raw RGB24 on stdout, sampled
 * with ffmpeg's own `fps` filter (https://ffmpeg.org/ffmpeg-filters.html#fps: duplicates or drops
 * frames to hit the rate, rounding timestamps to the nearest output frame). With `crop`, the short
 * side is scaled up to `crop` when it is smaller, then the centre is cropped: both happen on YUV
 * before the RGB conversion, so only `crop`x`crop` pixels are ever converted and piped.
 *
 * @example
 * buildDecodeArgs({ input: 'a.mp4', fps: 10, width: 640, height: 480, crop: 400 });
 * // [..., '-i', 'a.mp4', '-map', '0:v:0', '-vf', 'fps=fps=10,crop=400:400:120:40', ..., 'pipe:1']
 */
export function buildDecodeArgs(options: DecodeArgsOptions): string[] {
  const filters = [`fps=fps=${options.fps}`];
  if (options.crop !== undefined) {
    const g = cropGeometry(options.width, options.height, options.crop);
    // Bicubic is ffmpeg's default scaler; named here so the choice is visible.
    if (g.scaled) filters.push(`scale=${g.scaledWidth}:${g.scaledHeight}:flags=bicubic`);
    if (g.scaledWidth !== g.size || g.scaledHeight !== g.size) filters.push(`crop=${g.size}:${g.size}:${g.x}:${g.y}`);
  }
  return [
    ...QUIET_ARGS,
    ...(options.inputFormat !== undefined ? ['-f', options.inputFormat] : []),
    '-i',
    options.input,
    ...FIRST_VIDEO_ONLY,
    '-vf',
    filters.join(','),
    ...RAW_RGB_TO_STDOUT,
  ];
}

/** Size of the frames that {@link buildDecodeArgs} makes ffmpeg write. */
export function decodedFrameSize(width: number, height: number, crop?: number): { width: number; height: number } {
  return crop === undefined ? { width, height } : { width: crop, height: crop };
}
