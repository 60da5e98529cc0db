import { extname } from 'node:path';
import { InvalidOptionError } from '../../pipeline/errors';

/** The output formats {@link encodeVideo} can write. */
export type OutputFormatName = 'mp4-h264' | 'mov-prores4444' | 'webm-vp9';

/** The quality settings a format's video encoder may use. */
export interface VideoQuality {
  /** Constant rate factor, 0 (best) … 51; x264 and VP9 use it, ProRes has no such setting. */
  readonly crf: number;
  /** x264 preset, e.g. `'veryfast'`; only H.264 uses it. */
  readonly preset: string;
}

/** How one output format is written: container, encoders, pixel format and whether it keeps alpha. */
export interface OutputFormat {
  readonly name: OutputFormatName;
  /** How progress lines and summaries name it, e.g. `'ProRes 4444 .mov (alpha)'`. */
  readonly label: string;
  /** ffmpeg muxer, passed as `-f` so the temporary file name never decides it. */
  readonly container: 'mp4' | 'mov' | 'webm';
  /** The usual file extension, with its dot. */
  readonly extension: '.mp4' | '.mov' | '.webm';
  /** ffmpeg video encoder. */
  readonly codec: 'libx264' | 'prores_ks' | 'libvpx-vp9';
  /** The codec name `ffmpeg -i` reports for a file in this format. */
  readonly codecName: 'h264' | 'prores' | 'vp9';
  /** Pixel format written. */
  readonly pixelFormat: 'yuv420p' | 'yuva444p10le' | 'yuva420p';
  /** True when the format stores the frames' alpha plane (the encoder then reads RGBA). */
  readonly alpha: boolean;
  /** ffmpeg audio encoder for the muxed-in audio. */
  readonly audioCodec: 'aac' | 'libopus';
  /** Audio bit rate, e.g. `'160k'`. */
  readonly audioBitrate: string;
  /** Encoder settings after `-c:v <codec>` and before `-pix_fmt`. */
  videoArgs(quality: VideoQuality): string[];
  /** Muxer settings placed before `-f <container>`. */
  readonly muxerArgs: readonly string[];
}

/**
 * The output formats, by name.
 *
 * - `mp4-h264`: H.264 yuv420p with AAC, the file every player opens; `+faststart` moves the index to
 *   the front so it streams. No alpha. The default.
 * - `mov-prores4444`: ProRes 4444 (`prores_ks`, profile 4444) in yuva444p10le with AAC: the
 *   intermediate editors import with transparency (https://trac.ffmpeg.org/wiki/Encode/VFX#Prores).
 * - `webm-vp9`: VP9 (`libvpx-vp9`) in yuva420p with Opus: transparency for browsers. The
 *   `alpha_mode=1` stream tag tells players the alpha is there
 *   (https://trac.ffmpeg.org/wiki/Encode/VP9); `-b:v 0` makes `crf` a constant quality. `-cpu-used 4`
 *   (of 0 … 5 at `-deadline good`): ffmpeg alone on 100 frames of `testsrc2` at 400x400, on the shared
 *   2-core machine, took 6.3 s instead of 34 s at the default 0, for a file 16% larger.
 */
export const OUTPUT_FORMATS: Readonly<Record<OutputFormatName, OutputFormat>> = Object.freeze({
  'mp4-h264': Object.freeze({
    name: 'mp4-h264',
    label: 'H.264 .mp4',
    container: 'mp4',
    extension: '.mp4',
    codec: 'libx264',
    codecName: 'h264',
    pixelFormat: 'yuv420p',
    alpha: false,
    audioCodec: 'aac',
    audioBitrate: '160k',
    videoArgs: ({ crf, preset }: VideoQuality) => ['-preset', preset, '-crf', String(crf)],
    muxerArgs: ['-movflags', '+faststart'],
  }),
  'mov-prores4444': Object.freeze({
    name: 'mov-prores4444',
    label: 'ProRes 4444 .mov (alpha)',
    container: 'mov',
    extension: '.mov',
    codec: 'prores_ks',
    codecName: 'prores',
    pixelFormat: 'yuva444p10le',
    alpha: true,
    audioCodec: 'aac',
    audioBitrate: '160k',
    videoArgs: () => ['-profile:v', '4444', '-alpha_bits', '16', '-vendor', 'apl0'],
    muxerArgs: [],
  }),
  'webm-vp9': Object.freeze({
    name: 'webm-vp9',
    label: 'VP9 .webm (alpha)',
    container: 'webm',
    extension: '.webm',
    codec: 'libvpx-vp9',
    codecName: 'vp9',
    pixelFormat: 'yuva420p',
    alpha: true,
    audioCodec: 'libopus',
    audioBitrate: '128k',
    videoArgs: ({ crf }: VideoQuality) => ['-crf', String(crf), '-b:v', '0', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4', '-metadata:s:v:0', 'alpha_mode=1'],
    muxerArgs: [],
  }),
} satisfies Record<OutputFormatName, OutputFormat>);

/** The names of {@link OUTPUT_FORMATS}, in the order they are listed to users. */
export const OUTPUT_FORMAT_NAMES = Object.keys(OUTPUT_FORMATS) as OutputFormatName[];

/**
 * The output format named `name`.
 *
 * @example
 * outputFormat('webm-vp9').pixelFormat; // 'yuva420p'
 * @throws {InvalidOptionError} for an unknown name.
 */
export function outputFormat(name: string): OutputFormat {
  if (!Object.hasOwn(OUTPUT_FORMATS, name)) {
    throw new InvalidOptionError(
      `Expected one of ${OUTPUT_FORMAT_NAMES.map((n) => `'${n}'`).join(', ')} for format but received '${name}'`,
    );
  }
  return OUTPUT_FORMATS[name as OutputFormatName];
}

/**
 * The output format a file name asks for, by its extension: `.mp4`/`.m4v` → `mp4-h264`,
 * `.mov` → `mov-prores4444`, `.webm` → `webm-vp9` (case-insensitive).
 *
 * @example
 * formatForPath('out/clip.webm').name; // 'webm-vp9'
 * @throws {InvalidOptionError} for another extension, naming the ones that work.
 */
export function formatForPath(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  const found = ext === '.m4v' ? OUTPUT_FORMATS['mp4-h264'] : OUTPUT_FORMAT_NAMES.map((n) => OUTPUT_FORMATS[n]).find((f) => f.extension === ext);
  if (found === undefined) {
    throw new InvalidOptionError(
      `Cannot tell the output format of ${path} from its extension '${ext}'. ` +
        'Name the file .mp4 (H.264), .mov (ProRes 4444 with alpha) or .webm (VP9 with alpha).',
    );
  }
  return found;
}
