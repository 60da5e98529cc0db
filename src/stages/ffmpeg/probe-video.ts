import { access, constants, stat } from 'node:fs/promises';
import { BadInputError, CancelledError } from '../../pipeline/errors';
import { PacketSpanMeter, parseProbe, type PacketSpan, type VideoInfo } from './parse-probe';
import { runFfmpeg, spawnFfmpeg } from './spawn-ffmpeg';

/** Options of {@link probeVideo}. */
export interface ProbeVideoOptions {
  /** ffmpeg input format (`-f`), e.g. `'lavfi'` for a generated source; default: detect. */
  readonly inputFormat?: string;
  /** Binary to run; default `FFMPEG_PATH`, else `@ffmpeg-installer/ffmpeg`. */
  readonly ffmpegPath?: string;
  /** Aborting it kills ffmpeg; the probe then rejects with a {@link CancelledError}. */
  readonly signal?: AbortSignal;
}

/**
 * Reads the size, rotation, frame rate, duration and audio presence of a video with
 * `ffmpeg -i` (the static ffmpeg build has no ffprobe).
 *
 * The duration is the video stream's. When the file also has audio, the container's duration may be
 * the audio's end, so a second quick pass copies the video and audio packets without decoding them
 * (`-c copy -f framecrc`) and measures them ({@link PacketSpanMeter}). A file whose packets all stop
 * well short of the container's duration is truncated: the container's duration then stands, so that
 * decoding reports the missing frames.
 *
 * @example
 * const info = await probeVideo('clip.mp4');
 * sampledFrameCount(info.durationSec ?? 0, 10); // frames `decodeVideo` will give at 10 fps
 * @throws {BadInputError} when the file is missing, unreadable, not a video, or has no video stream.
 * @throws {FfmpegError} when ffmpeg cannot be started.
 * @throws {CancelledError} when `signal` aborts (before or while ffmpeg runs).
 */
export async function probeVideo(input: string, options: ProbeVideoOptions = {}): Promise<VideoInfo> {
  const { signal } = options;
  const cancelled = () => new CancelledError(`Probing ${input} was cancelled.`);
  if (signal?.aborted) throw cancelled();
  if (options.inputFormat === undefined) await expectReadableFile(input);
  if (signal?.aborted) throw cancelled();
  const args = ['-hide_banner', '-nostdin', ...(options.inputFormat ? ['-f', options.inputFormat] : []), '-i', input];
  const { stderr } = await runFfmpeg(args, options);
  // A killed probe leaves a stderr that parses as "not a video": the cancel is the real story.
  if (signal?.aborted) throw cancelled();
  const info = parseProbe(stderr, input);
  if (!info.hasAudio || options.inputFormat !== undefined) return info;
  const spans = await measureStreams(input, info, options);
  if (signal?.aborted) throw cancelled();
  if (spans === undefined) return info;
  const container = info.containerDurationSec;
  const longest = Math.max(spans.video.durationSec, spans.audio?.durationSec ?? 0);
  if (container !== undefined && longest < container - TRUNCATION_TOLERANCE_SEC) return info;
  return { ...info, durationSec: spans.video.durationSec, videoFrames: spans.video.frames };
}

// Audio priming and rounding of `Duration:` (0.01 s) put a complete file's longest stream within a
// few hundredths of a second of the container's duration; a cut file falls short by much more.
const TRUNCATION_TOLERANCE_SEC = 0.5;

/** Copies the first video and audio streams' packets to ffmpeg's framecrc muxer and measures them. */
async function measureStreams(
  input: string,
  info: VideoInfo,
  options: ProbeVideoOptions,
): Promise<{ video: PacketSpan; audio?: PacketSpan } | undefined> {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-i', input, '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy', '-f', 'framecrc', 'pipe:1'];
  const proc = spawnFfmpeg(args, { ffmpegPath: options.ffmpegPath });
  proc.stdin.end();
  const meter = new PacketSpanMeter();
  let rest = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) meter.push(line);
  });
  const onAbort = () => proc.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await proc.exit;
  options.signal?.removeEventListener('abort', onAbort);
  if (options.signal?.aborted) return undefined;
  // A file ffmpeg cannot copy through fails the same way when it is decoded, with the frames that
  // were there first: the container's duration stands meanwhile.
  if (exit.code !== 0) return undefined;
  meter.push(rest);
  const video = meter.span(0, info.fps === undefined ? 0 : 1 / info.fps);
  return video === undefined ? undefined : { video, audio: meter.span(1) };
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
