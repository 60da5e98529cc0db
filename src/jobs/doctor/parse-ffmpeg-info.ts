/** The version of an ffmpeg binary, from `ffmpeg -version`. */
export interface FfmpegVersion {
  /** As printed: `4.1.4-static`, `6.1.1-3ubuntu5`, or a git build such as `N-47683-g0e8eb07980-static`. */
  readonly name: string;
  /** The FFmpeg release (major, minor): from the name, else from libavutil's major version. */
  readonly release?: readonly [number, number];
  /** libavutil's version (major, minor), which every build prints. */
  readonly libavutil?: readonly [number, number];
}

/**
 * Reads the version of `ffmpeg -version`'s first lines. Git builds carry no release number; their
 * release is told by libavutil's major version, which FFmpeg bumps with every major release
 * (55: 3.x, 56: 4.x, 57: 5.x, 58: 6.x, 59: 7.x, 60: 8.x).
 *
 * @example
 * parseFfmpegVersion('ffmpeg version 6.1.1 Copyright…\nlibavutil      58. 29.100 / 58. 29.100');
 * // { name: '6.1.1', release: [6, 1], libavutil: [58, 29] }
 */
export function parseFfmpegVersion(text: string): FfmpegVersion | undefined {
  const head = /ffmpeg version (\S+)/.exec(text);
  if (head === null) return undefined;
  const name = head[1] as string;
  const avutil = /libavutil\s+(\d+)\.\s*(\d+)\./.exec(text);
  const libavutil = avutil === null ? undefined : ([Number(avutil[1]), Number(avutil[2])] as const);
  const numbered = /^n?(\d+)\.(\d+)/.exec(name);
  const release = numbered !== null ? ([Number(numbered[1]), Number(numbered[2])] as const) : libavutil !== undefined ? ([libavutil[0] - 52, 0] as const) : undefined;
  return { name, release, libavutil };
}

/**
 * The encoder names listed by `ffmpeg -hide_banner -encoders`: lines such as
 * ` V..... libx264   libx264 H.264 / AVC …` after the `------` rule.
 *
 * @example
 * parseEncoders(' V..... libx264  libx264 H.264\n A..... aac  AAC').has('libx264'); // true
 */
export function parseEncoders(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line);
    if (m !== null && m[1] !== '=') names.add(m[1] as string);
  }
  return names;
}
