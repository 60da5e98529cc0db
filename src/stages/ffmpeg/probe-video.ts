import { access, constants, stat } from 'node:fs/promises';
import { BadInputError } from '../../pipeline/errors';
import { parseProbe, type VideoInfo } from './parse-probe';
import { runFfmpeg } from './spawn-ffmpeg';

/** Options of {@link probeVideo}. */
export interface ProbeVideoOptions {
  /** ffmpeg input format (`-f`), e.g. `'lavfi'` for a generated source; default: detect. */
  readonly inputFormat?: string;
  /** Binary to run; default `FFMPEG_PATH`, else `@ffmpeg-installer/ffmpeg`. */
  readonly ffmpegPath?: string;
  readonly signal?: AbortSignal;
}

/**
 * Reads the size, rotation, frame rate, duration and audio presence of a video with
 * `ffmpeg -i` (the static ffmpeg build has no ffprobe).
 *
 * @example
 * const info = await probeVideo('clip.mp4');
 * sampledFrameCount(info.durationSec ?? 0, 10); // frames `decodeVideo` will give at 10 fps
 * @throws {BadInputError} when the file is missing, unreadable, not a video, or has no video stream.
 * @throws {FfmpegError} when ffmpeg cannot be started.
 */
export async function probeVideo(input: string, options: ProbeVideoOptions = {}): Promise<VideoInfo> {
  if (options.inputFormat === undefined) await expectReadableFile(input);
  const args = ['-hide_banner', '-nostdin', ...(options.inputFormat ? ['-f', options.inputFormat] : []), '-i', input];
  const { stderr } = await runFfmpeg(args, options);
  return parseProbe(stderr, input);
}

/**
 * Checks that `path` is a readable regular file.
 *
 * @throws {BadInputError} with the fix in the message.
 */
export async function expectReadableFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
    await access(path, constants.R_OK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(cause)})`;
    throw new BadInputError(`Video file ${path} ${why}. Check the path and its permissions.`, { path, cause });
  }
  if (!isFile) throw new BadInputError(`${path} is not a file. Give the path of a video file.`, { path });
}
