import { extname } from 'node:path';
import { InvalidOptionError } from '../pipeline/errors';
import { prepareOutputFile, prepareOutputFolder } from './output-path';
import { formatForPath, OUTPUT_FORMAT_NAMES, outputFormat, type OutputFormat, type OutputFormatName } from './ffmpeg/output-format';

/** The name of the PNG-folder output: one RGBA PNG per frame (`000000.png`, …), no audio. */
export const PNG_FOLDER = 'png';

/** What `--format` and `ProcessVideoOptions.format` accept: a video format of `OUTPUT_FORMATS`, or {@link PNG_FOLDER}. */
export type OutputTargetName = OutputFormatName | typeof PNG_FOLDER;

/** Where a job's frames go: a video file in one of `OUTPUT_FORMATS`, or a folder of PNGs. */
export type OutputTarget =
  | { readonly kind: 'video'; readonly name: OutputFormatName; readonly label: string; readonly alpha: boolean; readonly audio: true; readonly format: OutputFormat }
  | { readonly kind: 'png-folder'; readonly name: typeof PNG_FOLDER; readonly label: string; readonly alpha: true; readonly audio: false };

const PNG_TARGET: OutputTarget = Object.freeze({ kind: 'png-folder', name: PNG_FOLDER, label: 'RGBA PNG folder (alpha)', alpha: true, audio: false });

/** Every output target name, in the order they are listed to users. */
export const OUTPUT_TARGET_NAMES: readonly OutputTargetName[] = [...OUTPUT_FORMAT_NAMES, PNG_FOLDER];

/**
 * The output a path asks for: the named `format` when given, else by the path's extension (`.mp4`/`.m4v`
 * H.264, `.mov` ProRes 4444, `.webm` VP9), and a path with no extension or ending in `/` is a folder of
 * PNGs.
 *
 * @example
 * outputTarget('out/clip.mov').name; // 'mov-prores4444'
 * outputTarget('out/frames/').name; // 'png'
 * outputTarget('out/clip.bin', 'webm-vp9').label; // 'VP9 .webm (alpha)'
 * @throws {InvalidOptionError} for an unknown format name or extension, naming the ones that work.
 */
export function outputTarget(path: string, format?: string): OutputTarget {
  if (format === PNG_FOLDER) return PNG_TARGET;
  if (format !== undefined) {
    if (!(OUTPUT_FORMAT_NAMES as readonly string[]).includes(format)) {
      throw new InvalidOptionError(`Expected one of ${OUTPUT_TARGET_NAMES.map((n) => `'${n}'`).join(', ')} for format but received '${format}'`);
    }
    return videoTarget(outputFormat(format));
  }
  if (path.endsWith('/') || extname(path) === '') return PNG_TARGET;
  try {
    return videoTarget(formatForPath(path));
  } catch (error) {
    throw new InvalidOptionError(
      `Cannot tell the output format of ${path} from its extension '${extname(path)}'. Name the file .mp4 (H.264), ` +
        `.mov (ProRes 4444 with alpha) or .webm (VP9 with alpha), or a folder (no extension) for RGBA PNGs; ` +
        `or choose one with --format (${OUTPUT_TARGET_NAMES.join(', ')}).`,
      { cause: error },
    );
  }
}

/**
 * The output targets that keep alpha, as a user reads them (`'.mov (ProRes 4444), .webm (VP9) or a
 * folder of PNGs'`), for messages that refuse transparency elsewhere.
 *
 * @example
 * `Choose ${targetsWithAlpha()}.`
 */
export function targetsWithAlpha(): string {
  const videos = OUTPUT_FORMAT_NAMES.map(outputFormat)
    .filter((f) => f.alpha)
    .map((f) => `${f.extension} (${f.name})`);
  return `${videos.join(', ')} or a folder of RGBA PNGs (${PNG_FOLDER})`;
}

/**
 * Prepares to write `path` as `target`: a video file that must not exist yet, or a folder that must
 * hold no PNGs yet (unless `overwrite`).
 *
 * @example
 * await prepareOutput('out/clip.mov', outputTarget('out/clip.mov'), { overwrite: false });
 * @throws {BadInputError} when the folder cannot be written; {@link OutputExistsError} when the output exists.
 */
export async function prepareOutput(path: string, target: OutputTarget, options: { overwrite: boolean }): Promise<void> {
  if (target.kind === 'png-folder') await prepareOutputFolder(path, options);
  else await prepareOutputFile(path, options);
}

function videoTarget(format: OutputFormat): OutputTarget {
  return { kind: 'video', name: format.name, label: format.label, alpha: format.alpha, audio: true, format };
}
