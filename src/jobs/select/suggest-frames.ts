import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../../io/write-file-atomic';
import { BadInputError, OutputExistsError } from '../../pipeline/errors';
import { expectInteger } from '../../pipeline/validate';
import { suggestPicks } from '../../select/suggest-picks';
import { embedVideo, type EmbedVideoOptions } from '../../select/embed-video';
import { prepareOutputDir } from '../../stages/output-path';
import { pngFileName } from '../../stages/write-png-sequence';
import { collectFrames } from '../../stages/collect-frames';
import { readPickSpecs } from './read-pick-specs';

/** Options of {@link suggestFrames}. */
export interface SuggestFramesOptions extends EmbedVideoOptions {
  readonly video: string;
  /** How many frames to suggest. */
  readonly count: number;
  /** Folder for the suggested frames' PNGs, `edited/` and `picks.txt`. */
  readonly out: string;
  /** A picks file of frames already edited: the suggestions add to them (`--add`). */
  readonly picks?: string;
  /** Write into a folder that already holds a `picks.txt`. Default false. */
  readonly force?: boolean;
  /**
   * Also suggest outlier frames (a black frame, a title card: `outlierScores` without picks). Default
   * false: they are far from everything, so k-centre would pick them first, yet editing them teaches
   * the model little; `vidgan outliers --drop` removes them.
   */
  readonly includeOutliers?: boolean;
}

/** What {@link suggestFrames} wrote. */
export interface SuggestFramesReport {
  /** The suggested frames, in the order chosen (most informative first). */
  readonly frames: readonly number[];
  /** Frames of the given picks file. */
  readonly given: readonly number[];
  /** Outlier frames left out of the suggestion (none with `includeOutliers`). */
  readonly skippedOutliers: readonly number[];
  /** The PNG of each suggested frame. */
  readonly images: readonly string[];
  /** The picks-file skeleton: the given picks, then a line per suggested frame naming `edited/<frame>.png`. */
  readonly picksFile: string;
  readonly totalFrames: number;
}

/**
 * Suggests which frames to edit: `count` frames that cover the video's variety (greedy k-centre in
 * embedding space, {@link suggestPicks}), away from any frames already picked and, unless
 * `includeOutliers`, leaving out outlier frames. Writes each as
 * `<out>/<frame, six digits>.png` (the frame `vidgan extract` writes under that name), an empty
 * `<out>/edited/` and `<out>/picks.txt`, a picks file that names `edited/<frame>.png` for every
 * suggested frame (after the given picks, rewritten relative to `out`): save each edited image there
 * and the file is ready for `vidgan process --train-frames`.
 *
 * @example
 * const { frames, picksFile } = await suggestFrames({ video: 'talk.mp4', count: 8, out: 'to-edit' });
 * @throws {InvalidOptionError} for a bad count (more than the frames left).
 * @throws {OutputExistsError} when `out/picks.txt` exists and `force` is not set.
 * @throws {BadInputError} for an unreadable video or picks file, or a pick past the end of the video.
 */
export async function suggestFrames(options: SuggestFramesOptions): Promise<SuggestFramesReport> {
  expectInteger('count', options.count, 1, 1_000_000);
  const picksFile = join(options.out, 'picks.txt');
  if (!options.force && (await readdir(options.out).catch(() => [] as string[])).includes('picks.txt')) {
    throw new OutputExistsError(`${picksFile} already exists; suggesting again would replace it. Choose another --out, or pass --force.`);
  }
  const folder = options.picks === undefined ? '' : dirname(resolve(options.picks));
  const given = options.picks === undefined ? [] : (await readPickSpecs(options.picks, options.fps)).map((p) => ({ ...p, image: resolve(folder, p.image) }));
  const { embeddings, fps, crop } = await embedVideo(options.video, options);
  for (const g of given) {
    if (g.frame >= embeddings.length) {
      throw new BadInputError(
        `${options.picks} line ${g.line}: frame ${g.frame} is past the end of the video (${embeddings.length} frames at ${fps} fps).`,
        { path: options.picks },
      );
    }
  }
  const { frames, skippedOutliers } = suggestPicks(embeddings, options.count, { given: given.map((g) => g.frame), includeOutliers: options.includeOutliers });
  await prepareOutputDir(join(options.out, 'edited'));
  const decoded = await collectFrames(options.video, frames, { fps, crop, signal: options.signal });
  const images: string[] = [];
  for (const index of frames) {
    const frame = decoded.get(index)!;
    const path = join(options.out, pngFileName(index));
    const png = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).png({ compressionLevel: 3 }).toBuffer();
    await writeFileAtomic(path, png);
    images.push(path);
  }
  const lines = [
    `# vidgan suggest: ${frames.length} frames of ${embeddings.length} to edit (${fps} fps, ${crop}x${crop}).`,
    `# Edit each <frame>.png of this folder and save it as edited/<frame>.png; then: vidgan process --train-frames ${picksFile}`,
    ...given.map((g) => `${g.frame} ${relative(resolve(options.out), g.image)}`),
    ...[...frames].sort((a, b) => a - b).map((f) => `${f} edited/${pngFileName(f)}`),
  ];
  await writeFileAtomic(picksFile, `${lines.join('\n')}\n`);
  return { frames, given: given.map((g) => g.frame), skippedOutliers, images, picksFile, totalFrames: embeddings.length };
}
