import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { HeldOutPrediction, HoldoutReport } from './holdout-report';
import type { DrillReport } from '../drill/train-drill';
import { BadInputError } from '../pipeline/errors';
import { prepareOutputDir } from '../stages/output-path';
import type { ContactSheetRow } from './contact-sheet';
import { cutOutPreview } from './cut-out-preview';
import type { FrameMapPoint } from './frame-map';
import type { SampledFrame } from './frame-sampler';
import type { HoldoutFigure } from './holdout-section';
import { reportPage } from './report-page';

/** What a processing run hands to {@link writeReport}. */
export interface ReportData {
  /** The source video (shown in the title). */
  readonly video: string;
  /** The output video, when one was written. */
  readonly output?: string;
  /** Sampled (input, output) frames for the contact sheet. */
  readonly samples: readonly SampledFrame[];
  /** Edited images of picks (packed RGB24 of the frame size) by frame index: those sampled are shown and marked. */
  readonly edits?: ReadonlyMap<number, Uint8Array>;
  /** The drill training of this run. */
  readonly training?: DrillReport;
  readonly holdout?: HoldoutReport;
  /** Held-out predictions to show (the worst dozen are kept). */
  readonly holdoutPredictions?: readonly HeldOutPrediction[];
  /** Headline figures as label → value. */
  readonly highlights?: ReadonlyArray<readonly [string, string]>;
  /** Phase timings as label → value. */
  readonly timings?: ReadonlyArray<readonly [string, string]>;
  /** The options of the run. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** The map of the video's frames, with a thumbnail per plotted frame (written under `map/`). */
  readonly map?: FrameMapData;
}

/** What the report's frame map needs: the projected frames and their thumbnails. */
export interface FrameMapData {
  readonly points: ReadonlyArray<Omit<FrameMapPoint, 'image'>>;
  /** Packed RGB24 thumbnails by frame index. */
  readonly thumbnails: ReadonlyMap<number, { readonly data: Uint8Array; readonly width: number; readonly height: number }>;
  readonly totalFrames: number;
  /** A line shown above the map (what was sampled, what the marks mean). */
  readonly note?: string;
}

/** Held-out predictions shown at most, worst first: enough to see the failure modes. */
const MAX_HOLDOUT_FIGURES = 12;

/**
 * Writes a self-contained HTML report into `dir`: `index.html` (inline CSS and SVG, no script, no
 * external resources) and the PNGs it shows under `frames/` and `holdout/`, referenced by relative
 * paths, so the folder opens in any browser from disk and can be copied or zipped as a whole.
 *
 * @example
 * const page = await writeReport('report', { video: 'clip.mp4', samples: sampler.samples, training });
 * // 'report/index.html'
 * @throws {BadInputError} when the folder or a file cannot be written.
 */
export async function writeReport(dir: string, data: ReportData): Promise<string> {
  await prepareOutputDir(join(dir, 'frames'));
  const sheet: ContactSheetRow[] = [];
  for (const sample of data.samples) {
    const name = String(sample.index).padStart(6, '0');
    const edit = data.edits?.get(sample.index);
    sheet.push({
      index: sample.index,
      timeSec: sample.timeSec,
      input: await png(dir, `frames/input-${name}.png`, sample.input, sample.width, sample.height),
      output: await png(dir, `frames/output-${name}.png`, sample.output, sample.width, sample.height),
      edited: edit === undefined ? undefined : await png(dir, `frames/edit-${name}.png`, edit, sample.width, sample.height),
      cutOut:
        edit !== undefined
          ? undefined
          : await png(dir, `frames/cut-out-${name}.png`, cutOutPreview(sample.input, sample.output, sample.width, sample.height), sample.width, sample.height),
    });
  }
  const holdoutFigures: HoldoutFigure[] = [];
  const worst = [...(data.holdoutPredictions ?? [])].sort((a, b) => a.score.iou! - b.score.iou!).slice(0, MAX_HOLDOUT_FIGURES);
  if (worst.length > 0) await prepareOutputDir(join(dir, 'holdout'));
  for (const p of worst) {
    const name = String(p.score.index).padStart(6, '0');
    holdoutFigures.push({
      index: p.score.index,
      fold: p.fold,
      iou: p.score.iou!,
      psnr: p.score.psnr!,
      input: await png(dir, `holdout/input-${name}.png`, p.input, p.width, p.height),
      output: await png(dir, `holdout/predicted-${name}.png`, p.output, p.width, p.height),
      edited: await png(dir, `holdout/edit-${name}.png`, p.target, p.width, p.height),
    });
  }
  const map = data.map === undefined ? undefined : await writeMap(dir, data.map);
  const html = reportPage({
    title: `vidgan report: ${data.video.split(/[\\/]/).pop()}`,
    subtitle: [data.video, data.output && `→ ${data.output}`, `written ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`]
      .filter(Boolean)
      .join('  '),
    highlights: data.highlights ?? [],
    curve: data.training?.curve,
    holdout: data.holdout,
    holdoutFigures,
    sheet,
    map,
    timings: data.timings ?? [],
    options: data.options ?? {},
  });
  const page = join(dir, 'index.html');
  await write(page, html);
  return page;
}

async function writeMap(dir: string, map: FrameMapData): Promise<{ points: FrameMapPoint[]; totalFrames: number; note?: string }> {
  if (map.thumbnails.size > 0) await prepareOutputDir(join(dir, 'map'));
  const points: FrameMapPoint[] = [];
  for (const p of map.points) {
    const thumb = map.thumbnails.get(p.index);
    const image = thumb === undefined ? undefined : await png(dir, `map/${String(p.index).padStart(6, '0')}.png`, thumb.data, thumb.width, thumb.height);
    points.push(image === undefined ? p : { ...p, image });
  }
  return { points, totalFrames: map.totalFrames, ...(map.note === undefined ? {} : { note: map.note }) };
}

async function png(dir: string, relative: string, rgb: Uint8Array, width: number, height: number): Promise<string> {
  const path = join(dir, relative);
  try {
    await sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 6 }).toFile(path);
  } catch (cause) {
    throw new BadInputError(`Cannot write ${path}: ${(cause as Error).message}. Check the free space and permissions of ${dir}.`, {
      path,
      cause,
    });
  }
  return relative;
}

async function write(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (cause) {
    throw new BadInputError(`Cannot write ${path}: ${(cause as Error).message}.`, { path, cause });
  }
}
