import { BadInputError } from '../../pipeline/errors';

/** What vidgan knows about a video before decoding it. */
export interface VideoInfo {
  /** Display size: the coded size with the rotation applied (ffmpeg auto-rotates when decoding). */
  readonly width: number;
  readonly height: number;
  /** Rotation from the stream's metadata, in degrees (0, 90, 180, 270). */
  readonly rotation: number;
  /** Source frame rate (`fps`, else `tbr`), or undefined when ffmpeg reports neither. */
  readonly fps?: number;
  /**
   * Duration of the video stream in seconds, undefined when unknown (live or generated input). When
   * the file has audio, `probeVideo` measures it from the video packets: the container's duration is
   * its longest stream's, and audio may outlast the video.
   */
  readonly durationSec?: number;
  /** The container's duration in seconds (`Duration:` of `ffmpeg -i`), undefined when unknown. */
  readonly containerDurationSec?: number;
  /** Frames (packets) of the video stream, when `probeVideo` counted them (files with audio). */
  readonly videoFrames?: number;
  readonly hasAudio: boolean;
  /** Codec name of the first video stream, e.g. `'h264'`. */
  readonly videoCodec: string;
}

const DURATION = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const STREAM = /^\s*Stream #\d+:\d+.*?: (Video|Audio|Subtitle|Data|Attachment): (.*)$/;
// `\d+x\d+` followed by space, comma or '[' (so the codec tag `0x31637661)` is not taken for a size).
const SIZE = /(?:^|[\s,])(\d+)x(\d+)(?=[\s,[]|$)/;
const RATE = (unit: string) => new RegExp(`([\\d.]+)(k?) ${unit}\\b`);

/**
 * Parses the stderr of `ffmpeg -hide_banner -i <input>` (there is no ffprobe in the static build).
 *
 * @example
 * parseProbe(stderr, 'clip.mp4'); // { width: 640, height: 480, rotation: 0, fps: 25, durationSec: 3.02, hasAudio: true, videoCodec: 'h264' }
 * @throws {BadInputError} when ffmpeg could not read the input as media, or it has no video stream.
 */
export function parseProbe(stderr: string, input: string): VideoInfo {
  const lines = stderr.split(/\r?\n/);
  if (!lines.some((l) => /^Input #0/.test(l))) {
    const reason = lines.filter((l) => l.includes(input) || /Invalid data|moov atom/.test(l)).pop() ?? lines.filter(Boolean).pop() ?? '';
    const why = reason.replace(`${input}: `, '').trim() || 'no input found';
    throw new BadInputError(
      `${input} is not a video ffmpeg can read (${why}). ` +
        'Check that the file is a complete video (mp4, mov, mkv, webm, …), not another kind of file.',
      { path: input },
    );
  }
  let video: { line: string; index: number } | undefined;
  let hasAudio = false;
  lines.forEach((line, index) => {
    const m = STREAM.exec(line);
    if (m === null) return;
    if (m[1] === 'Audio') hasAudio = true;
    // A cover image in an audio file is a video stream with the `attached pic` disposition.
    if (m[1] === 'Video' && video === undefined && !line.includes('(attached pic)')) video = { line: m[2] ?? '', index };
  });
  if (video === undefined) {
    throw new BadInputError(
      `${input} has no video stream${hasAudio ? ' (it holds only audio)' : ''}. Give vidgan a file with a video track.`,
      { path: input },
    );
  }
  const size = SIZE.exec(video.line);
  if (size === null) {
    throw new BadInputError(`${input}: ffmpeg reports no frame size for its video stream. The file may be damaged.`, {
      path: input,
    });
  }
  const rotation = parseRotation(lines, video.index);
  const codedWidth = Number(size[1]);
  const codedHeight = Number(size[2]);
  const swap = rotation === 90 || rotation === 270;
  const duration = DURATION.exec(stderr);
  const durationSec = duration === null ? undefined : Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
  return {
    width: swap ? codedHeight : codedWidth,
    height: swap ? codedWidth : codedHeight,
    rotation,
    fps: parseRate(video.line, 'fps') ?? parseRate(video.line, 'tbr'),
    durationSec,
    containerDurationSec: durationSec,
    hasAudio,
    videoCodec: (video.line.split(/[\s,]/)[0] ?? '').trim(),
  };
}

/** The extent of a stream measured from its packets. */
export interface PacketSpan {
  /** From the first packet's start to the last one's end, in seconds. */
  readonly durationSec: number;
  /** Packets seen (frames, for a video stream). */
  readonly frames: number;
}

/**
 * Measures streams from the lines of ffmpeg's `framecrc` muxer (`-c copy -f framecrc -`): a
 * `#tb <stream>: 1/12800` header per stream, then `stream, dts, pts, duration, size, crc` per packet.
 * A stream's span runs from its smallest pts to its largest pts + duration (packets come in decoding
 * order, so with B-frames the last packet is not the last to show). Feed it line by line; it keeps a
 * few numbers per stream, so an hour of video costs no memory.
 *
 * @example
 * const meter = new PacketSpanMeter();
 * for (const line of framecrc.split('\n')) meter.push(line);
 * meter.span(0, 0.04); // { durationSec: 2, frames: 50 }
 */
export class PacketSpanMeter {
  private readonly timeBases = new Map<number, number>();
  private readonly streams = new Map<number, { first: number; end: number; lastPts: number; count: number }>();

  /** Takes one line of framecrc output (without its line break). */
  push(line: string): void {
    if (line.startsWith('#')) {
      const tb = /^#tb (\d+): (\d+)\/(\d+)/.exec(line);
      if (tb !== null && Number(tb[3]) > 0) this.timeBases.set(Number(tb[1]), Number(tb[2]) / Number(tb[3]));
      return;
    }
    // `stream, dts, pts, duration, …`: sliced by hand, as this runs once per packet.
    const c1 = line.indexOf(',');
    const c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
    const c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
    if (c4 < 0) return;
    const stream = Number(line.slice(0, c1));
    const pts = Number(line.slice(c2 + 1, c3));
    const duration = Number(line.slice(c3 + 1, c4));
    if (!Number.isInteger(stream) || !Number.isFinite(pts)) return;
    let s = this.streams.get(stream);
    if (s === undefined) {
      s = { first: pts, end: Number.NEGATIVE_INFINITY, lastPts: pts, count: 0 };
      this.streams.set(stream, s);
    }
    s.count++;
    if (pts < s.first) s.first = pts;
    if (pts > s.lastPts) s.lastPts = pts;
    const end = pts + (duration > 0 ? duration : 0);
    if (end > s.end) s.end = end;
  }

  /**
   * The span of output stream `stream`, or undefined when it had no packet or no time base.
   * `frameSec` (one frame at the stream's rate) stands in for the last packet's duration when the
   * muxer did not record one.
   */
  span(stream: number, frameSec = 0): PacketSpan | undefined {
    const s = this.streams.get(stream);
    const timeBase = this.timeBases.get(stream);
    if (s === undefined || timeBase === undefined) return undefined;
    const endTicks = s.end > s.lastPts ? s.end : s.lastPts + frameSec / timeBase;
    return { durationSec: (endTicks - s.first) * timeBase, frames: s.count };
  }
}

/**
 * How many frames decoding at `fps` yields for a video of `durationSec`: ffmpeg's `fps` filter
 * emits one frame per output tick up to the end of the last input frame, rounding to the nearest
 * tick, so the count is the duration times the rate, rounded.
 *
 * @example
 * sampledFrameCount(3.02, 10); // 30
 */
export function sampledFrameCount(durationSec: number, fps: number): number {
  // The epsilon absorbs float noise such as 1.15 * 10 = 11.499999999999998.
  return Math.max(0, Math.round(durationSec * fps + 1e-9));
}

function parseRate(line: string, unit: string): number | undefined {
  const m = RATE(unit).exec(line);
  if (m === null) return undefined;
  const value = Number(m[1]) * (m[2] === 'k' ? 1000 : 1);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Reads `rotate : 90` (stream metadata) or `rotation of -90.00 degrees` (display matrix) below the stream line. */
function parseRotation(lines: string[], streamIndex: number): number {
  for (let i = streamIndex + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*Stream #/.test(line) || !/^\s/.test(line)) break;
    const tag = /^\s*rotate\s*:\s*(-?\d+)/.exec(line);
    if (tag !== null) return normaliseDegrees(Number(tag[1]));
    const matrix = /rotation of (-?[\d.]+) degrees/.exec(line);
    // The display matrix angle is counter-clockwise; the `rotate` tag is clockwise.
    if (matrix !== null) return normaliseDegrees(-Math.round(Number(matrix[1])));
  }
  return 0;
}

function normaliseDegrees(degrees: number): number {
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}
