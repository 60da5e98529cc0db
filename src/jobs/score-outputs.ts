import { DEFAULT_TOLERANCE } from '../eval/non-white-mask';
import { DEFAULT_FPS } from '../pipeline/default-sampling';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parsePicks } from '../drill/parse-picks';
import { BadInputError } from '../pipeline/errors';
import { makeFrame, type Frame } from '../pipeline/frame';
import { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger, expectNumber } from '../pipeline/validate';
import { decodeVideo } from '../stages/decode-video';
import { flickerSeries, type FlickerStep } from '../eval/flicker';
import { iterateFrames } from '../eval/iterate-frames';
import { listNumberedImages } from '../eval/list-numbered-images';
import { nonWhiteMask } from '../eval/non-white-mask';
import { readMaskImage, readRgbImage } from '../eval/read-image';
import { scoreFrame, type FrameScore } from '../eval/score-frame';
import { summarize, type Summary } from '../eval/summarize';

/** Options of {@link scoreOutputs}. */
export interface ScoreOutputsOptions {
  /** The output frames: a folder of numbered PNG/JPEG images, or a video (decoded at `fps`, cropped to `crop`). */
  readonly outputs: string;
  /** Reference edited frames: a picks file (`<frame> <edited image>` lines) or a folder of numbered images. */
  readonly reference?: string;
  /** A folder of true masks (numbered images, 0 = background, 255 = foreground); the IoU is taken against them. */
  readonly masks?: string;
  /** The input video: with it, flicker compares the output's mask changes with the input's own change. */
  readonly input?: string;
  /** Frames to leave out of the scores (the training picks). */
  readonly exclude?: readonly number[];
  /** Mask tolerance of the non-white region (see {@link nonWhiteMask}). Default 24. */
  readonly tolerance?: number;
  /** Sampling rate for decoding videos and reading timestamps in a picks file. Default 10. */
  readonly fps?: number;
  /** Centre crop applied when decoding `outputs` or `input` videos. Default: none for outputs, the outputs' width for the input. */
  readonly crop?: number;
  readonly signal?: AbortSignal;
}

/** The scores of a set of output frames: see {@link scoreOutputs}. */
export interface EvalReport {
  /** Per scored frame, in index order. */
  readonly frames: readonly FrameScore[];
  /** Output frames read (scored or not). */
  readonly outputFrames: number;
  /** Frames left out by `exclude`. */
  readonly excluded: readonly number[];
  /** Reference or mask indices with no output frame. */
  readonly missing: readonly number[];
  /** Where the IoU came from: the true masks, the reference's non-white region, or both (masks where present). */
  readonly iouAgainst: 'masks' | 'reference' | 'masks+reference';
  readonly meanIoU: number | null;
  readonly meanPSNR: number | null;
  readonly meanSSIM: number | null;
  readonly meanL1: number | null;
  /** Mean, spread and range of each metric over the scored frames (absent when no frame has it). */
  readonly summaries: { readonly iou?: Summary; readonly psnr?: Summary; readonly ssim?: Summary; readonly l1?: Summary };
  /**
   * Mean fraction of pixels whose output mask flips between consecutive frames while the input pixel
   * did not change (see {@link flicker}); null without an `input` video or fewer than two consecutive frames.
   */
  readonly flicker: number | null;
  /** Mean fraction of pixels whose output mask flips between consecutive frames, moving content included; null below two consecutive frames. */
  readonly meanMaskChange: number | null;
  /** Per transition `index → index + 1` of consecutive output frames (flicker is NaN without an input video). */
  readonly flickerSteps: readonly FlickerStep[];
}

/**
 * Scores output frames against reference edited frames: L1, PSNR, SSIM and the IoU of the non-white
 * region (against true masks when a mask folder is given), per frame and on average; and the
 * temporal stability of the output's mask over consecutive frames (flicker, against the input
 * video's own change when `input` is given). Frames are matched by the integer in their file names
 * (`000123.png` ↔ `00123.png`); a video's frames are numbered in decode order at `fps`. A frame is
 * scored when it has a reference image or a mask and is not excluded. Frames are streamed, so a long
 * video holds only a few frames in memory.
 *
 * @example
 * const report = await scoreOutputs({ outputs: 'out-frames', reference: 'picks.txt', exclude: [12, 40] });
 * console.log(report.meanIoU, report.meanPSNR);
 * @throws {InvalidOptionError} for a bad tolerance, fps, crop or exclude list.
 * @throws {BadInputError} for a missing or unreadable folder, picks file, image or video, a size
 *   mismatch between an output and its reference, or when no frame could be scored.
 */
export async function scoreOutputs(options: ScoreOutputsOptions): Promise<EvalReport> {
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  const tolerance = expectInteger('tolerance', options.tolerance ?? DEFAULT_TOLERANCE, 0, 254);
  const crop = options.crop === undefined ? undefined : expectInteger('crop', options.crop, 1, 8192);
  const exclude = new Set((options.exclude ?? []).map((i, n) => expectInteger(`exclude[${n}]`, i, 0, Number.MAX_SAFE_INTEGER)));
  if (options.reference === undefined && options.masks === undefined) {
    throw new BadInputError('Nothing to score against: pass reference edited frames (--reference) or true masks (--masks).');
  }
  const references = options.reference === undefined ? new Map<number, string>() : await referenceImages(options.reference, fps);
  const masks = options.masks === undefined ? new Map<number, string>() : await listNumberedImages(options.masks, 'mask folder');

  const frames: FrameScore[] = [];
  const seen = new Set<number>();
  const excluded: number[] = [];
  const flickerSteps: FlickerStep[] = [];
  const input = options.input === undefined ? undefined : new InputCursor(options.input, fps, crop, options.signal);
  let previous: { index: number; mask: Uint8Array; input?: Uint8Array } | undefined;
  let outputFrames = 0;
  try {
    for await (const output of outputFrames$(options.outputs, fps, crop, options.signal)) {
      outputFrames++;
      seen.add(output.index);
      const { width, height } = output;
      const mask = nonWhiteMask(output.data, width, height, { tolerance });
      const inputFrame = input === undefined ? undefined : await input.at(output.index, width);
      if (inputFrame !== undefined) checkSize('input video frame', output, inputFrame.width, inputFrame.height, options.input!);
      if (previous !== undefined && previous.index === output.index - 1) {
        flickerSteps.push(transition(previous, { mask, input: inputFrame?.data }, output.index - 1));
      }
      previous = { index: output.index, mask, input: inputFrame?.data };

      const referencePath = references.get(output.index);
      const maskPath = masks.get(output.index);
      if (referencePath === undefined && maskPath === undefined) continue;
      if (exclude.has(output.index)) {
        excluded.push(output.index);
        continue;
      }
      const edited = referencePath === undefined ? undefined : await readRgbImage(referencePath);
      const trueMask = maskPath === undefined ? undefined : await readMaskImage(maskPath);
      if (edited) checkSize('reference image', output, edited.width, edited.height, referencePath!);
      if (trueMask) checkSize('mask', output, trueMask.width, trueMask.height, maskPath!);
      frames.push(scoreFrame(output.index, output.data, width, height, { edited: edited?.data, mask: trueMask?.data, tolerance }));
    }
  } finally {
    await input?.close();
  }

  const missing = [...new Set([...references.keys(), ...masks.keys()])]
    .filter((i) => !seen.has(i) && !exclude.has(i))
    .sort((a, b) => a - b);
  if (frames.length === 0) {
    throw new BadInputError(
      `No output frame of ${options.outputs} matches a reference frame or mask (${outputFrames} output frames read` +
        `${excluded.length > 0 ? `, ${excluded.length} excluded` : ''}). Frames are matched by the number in their file names.`,
      { path: options.outputs },
    );
  }
  return summarise(frames, { outputFrames, excluded, missing, flickerSteps, hasInput: input !== undefined, references, masks });
}

function summarise(
  frames: FrameScore[],
  facts: {
    outputFrames: number;
    excluded: number[];
    missing: number[];
    flickerSteps: FlickerStep[];
    hasInput: boolean;
    references: Map<number, string>;
    masks: Map<number, string>;
  },
): EvalReport {
  const summaryOf = (key: 'iou' | 'psnr' | 'ssim' | 'l1') => {
    const values = frames.map((f) => f[key]).filter((v): v is number => v !== undefined);
    return values.length === 0 ? undefined : summarize(values);
  };
  const summaries = { iou: summaryOf('iou'), psnr: summaryOf('psnr'), ssim: summaryOf('ssim'), l1: summaryOf('l1') };
  const steps = facts.flickerSteps;
  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
  const usesMasks = frames.some((f) => facts.masks.has(f.index));
  const usesReference = frames.some((f) => !facts.masks.has(f.index));
  return {
    frames,
    outputFrames: facts.outputFrames,
    excluded: facts.excluded,
    missing: facts.missing,
    iouAgainst: usesMasks && usesReference ? 'masks+reference' : usesMasks ? 'masks' : 'reference',
    meanIoU: summaries.iou?.mean ?? null,
    meanPSNR: summaries.psnr?.mean ?? null,
    meanSSIM: summaries.ssim?.mean ?? null,
    meanL1: summaries.l1?.mean ?? null,
    summaries,
    flicker: facts.hasInput ? mean(steps.map((s) => s.flicker)) : null,
    meanMaskChange: mean(steps.map((s) => s.maskChange)),
    flickerSteps: steps,
  };
}

function transition(
  a: { mask: Uint8Array; input?: Uint8Array },
  b: { mask: Uint8Array; input?: Uint8Array },
  index: number,
): FlickerStep {
  if (a.input !== undefined && b.input !== undefined) {
    return { ...flickerSeries([a.mask, b.mask], [a.input, b.input])[0]!, index };
  }
  // Without the input the mask change cannot be split into motion and flicker.
  const none = new Uint8Array(a.mask.length * 3);
  const step = flickerSeries([a.mask, b.mask], [none, none])[0]!;
  return { index, maskChange: step.maskChange, inputChange: Number.NaN, flicker: Number.NaN };
}

function checkSize(what: string, output: Frame, width: number, height: number, path: string): void {
  if (width !== output.width || height !== output.height) {
    throw new BadInputError(
      `Frame ${output.index}: the ${what} ${path} is ${width}x${height} but the output frame is ${output.width}x${output.height}. ` +
        'Score outputs against references of the same size (the same crop).',
      { path },
    );
  }
}

/** Index → image path of the reference edited frames, from a picks file or a folder. */
async function referenceImages(reference: string, fps: number): Promise<Map<number, string>> {
  if (await isFolder(reference)) return listNumberedImages(reference, 'reference folder');
  let text: string;
  try {
    text = await readFile(reference, 'utf8');
  } catch (cause) {
    throw new BadInputError(`Reference ${reference} does not exist or cannot be read. Pass a picks file or a folder of edited frames.`, {
      cause,
      path: reference,
    });
  }
  const folder = dirname(resolve(reference));
  const specs = parsePicks(text, { fps, source: reference.split(/[\\/]/).pop() });
  return new Map(specs.map((spec) => [spec.frame, resolve(folder, spec.image)]));
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The output frames in index order, from a folder of numbered images or a video. */
async function* outputFrames$(outputs: string, fps: number, crop: number | undefined, signal?: AbortSignal): AsyncGenerator<Frame> {
  if (await isFolder(outputs)) {
    for (const [index, path] of await listNumberedImages(outputs, 'output folder')) {
      const image = await readRgbImage(path);
      yield makeFrame(index, index / fps, image.width, image.height, image.data);
    }
    return;
  }
  const budget = new FrameBudget(4);
  yield* iterateFrames(decodeVideo(outputs, { fps, crop, budget, signal }), budget);
}

/** Walks the input video forward to the frame an output needs. */
class InputCursor {
  private frames?: AsyncGenerator<Frame>;
  private current?: Frame;

  constructor(
    private readonly video: string,
    private readonly fps: number,
    private readonly crop: number | undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /** The input frame `index` (undefined when the input ends first or is behind); `width` sets the default crop. */
  async at(index: number, width: number): Promise<Frame | undefined> {
    if (this.frames === undefined) {
      const budget = new FrameBudget(4);
      const source = decodeVideo(this.video, { fps: this.fps, crop: this.crop ?? width, budget, signal: this.signal });
      this.frames = iterateFrames(source, budget);
    }
    while (this.current === undefined || this.current.index < index) {
      const next = await this.frames.next();
      if (next.done) {
        throw new BadInputError(
          `The input video ${this.video} ends before frame ${index} of the outputs. Pass the video the outputs were made from.`,
          { path: this.video },
        );
      }
      this.current = next.value;
    }
    return this.current.index === index ? this.current : undefined;
  }

  async close(): Promise<void> {
    await this.frames?.return(undefined);
  }
}
