import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { filter, identity, lastValueFrom, takeWhile, tap, type OperatorFunction } from 'rxjs';
import { Pix2Pix } from '../gan/pix2pix';
import { defaultBasePath } from '../gan/default-base';
import { checkDrillOptions, DRILL_DEFAULTS, type DrillOptions, type DrillProgress, type DrillReport, trainDrill } from '../drill/train-drill';
import { loadPicks, type Pick } from '../drill/load-picks';
import { CleanupTracker } from '../pipeline/cleanup-tracker';
import { CancelledError, CheckpointError, InvalidOptionError } from '../pipeline/errors';
import { FrameBudget } from '../pipeline/frame-budget';
import { DEFAULT_CROP, DEFAULT_FPS } from '../pipeline/default-sampling';
import type { Frame } from '../pipeline/frame';
import { expectInteger, expectNumber, expectOneOf } from '../pipeline/validate';
import { decodeVideo } from '../stages/decode-video';
import { DEFAULT_CRF, encodeVideo } from '../stages/encode-video';
import { sampledFrameCount } from '../stages/ffmpeg/parse-probe';
import { probeVideo } from '../stages/ffmpeg/probe-video';
import { generate } from '../stages/generate';
import { snapAlpha, type SnapAlphaOptions } from '../stages/snap-alpha';
import { steadyOutlines, type SteadyOutlinesOptions } from '../stages/steady-outlines';
import { prepareOutputFile } from '../stages/output-path';
import { savePngs } from '../stages/save-pngs';
import { alphaFromWhite } from '../stages/alpha-from-white';
import { describeBackground } from '../stages/background';
import { prepareOutput, type OutputTargetName } from '../stages/output-target';
import { replaceBackground } from '../stages/replace-background';
import { trimWhiteEdges } from '../stages/trim-white-edges';
import { writeMatte } from '../stages/write-matte';
import { writePngSequence } from '../stages/write-png-sequence';
import { checkBackgroundInput, checkModelAlpha, planOutput, type OutputOptions, type OutputPlan } from './plan-output';
import type { ImagePair } from '../data/image-pair';
import { DEFAULT_GUIDES, defaultRoundTrip, GuideKit, NEIGHBOUR_FRAMES, resolveGuideSpec, ROUND_TRIP_FRAMES } from '../guides/guide-kit';
import { FLOW_ALPHA_GUIDE } from '../flow/propagate-alpha';
import { collectFrames } from '../stages/collect-frames';
import { nonWhiteMask } from '../eval/non-white-mask';
import { chooseStrayMode, dropStrays, flowMissShare, type StrayMode } from '../patch/drop-strays';
import { paintFromPicks } from '../patch/paint-from-picks';
import { copiesKept, picksPaint, type PickPaint } from '../patch/pick-paint';

/** Options of {@link processVideo}. */
export interface ProcessVideoOptions extends OutputOptions {
  /** The source video. */
  readonly video: string;
  /**
   * The output: `.mp4` H.264, `.mov` ProRes 4444 with alpha, `.webm` VP9 with alpha, or a folder (no
   * extension) of RGBA PNGs; `format` overrides the name. See also `background`, `matte`.
   */
  readonly out: string;
  /** Picks file of `<frame> <edited image>` lines; needed unless `model` is given. */
  readonly picks?: string;
  /** Checkpoint to start drill training from; `'none'` trains from scratch. Default: the bundled base. */
  readonly base?: string;
  /**
   * Drill an exponential moving average of the generator's weights beside them, with this decay, and
   * stream and save the average (0 = none, default). Used when training from a base, not with `model`
   * or `resume` (a checkpoint keeps its own).
   */
  readonly emaDecay?: number;
  /** A model trained before: skip training and apply it (with `picks`, their edits still guide it). */
  readonly model?: string;
  /**
   * Guide planes a newly trained model takes beside the RGB ({@link DEFAULT_GUIDES}: the person prior
   * and the edits carried by optical flow); `[]` for none. A model applied or resumed keeps its own.
   */
  readonly guides?: readonly string[];
  /**
   * Make the composite head's alpha reach exactly 0 and 1 ({@link snapAlpha}). Default off: measured
   * on ../shared/data/davis-dev it changed held-out IoU by -0.001 to +0.004 (docs/QUALITY.md).
   */
  readonly alphaSnap?: SnapAlphaOptions | false;
  /**
   * Hold outlines steady from frame to frame ({@link steadyOutlines}: the previous output's alpha
   * carried by optical flow, blended in where the picture agrees). Default off.
   */
  readonly steadyOutlines?: SteadyOutlinesOptions | false;
  /** The guide whose logit the alpha head adds (default {@link DEFAULT_GUIDES}); `null` for none. */
  readonly alphaPriorGuide?: string | null;
  /**
   * Lower the person prior where the edits erased what it marks (another person's hand, a bystander),
   * carried by the edits' optical flow (`GuideSources.priorVeto`). Default: for a model applied or
   * resumed, as it was trained (its checkpoint's `prior_veto`; off for one trained before the veto);
   * else true.
   */
  readonly priorVeto?: boolean;
  /**
   * Train each pick a second time with guides as a frame this many frames from it gets them: its own
   * edit carried there and back by optical flow ({@link GuideKit.trainingGuides}); 0 trains the picks
   * with the far guides only (as before session 11). Default {@link defaultRoundTrip}: {@link ROUND_TRIP_FRAMES}
   * (3), or 0 when the edits paint over the picture; a `resume`d drill keeps the one its checkpoint
   * records. Needs the `flow-alpha` guide.
   */
  readonly roundTrip?: number;
  /**
   * Also train on the frames up to this many frames before and after each pick, with the pick's edit
   * carried onto them by optical flow as their target, leaving out what the pick did not show
   * ({@link GuideKit.trainingGuides}' `carried`); 0 = off. Default {@link NEIGHBOUR_FRAMES} (2), or 0
   * when the edits paint over the picture, or what a resumed drill's checkpoint records. Needs the
   * `flow-alpha` guide.
   */
  readonly neighbours?: number;
  /**
   * Carry what the edits painted over (another person's fingers covered with the speaker's clothing)
   * to the frames around each pick, over the generator's output ({@link paintFromPicks}). Edits that
   * only erase the background or change colours paint nothing, and then this costs only reading the
   * picks' source frames (a model applied with picks decodes up to the last pick once more). Default true.
   */
  readonly paint?: boolean;
  /**
   * Erase what the generator kept where the edits, carried by optical flow, call it background
   * ({@link dropStrays}): `'regions'` apart from the subject (grass, a face painted on a wall, a
   * passer-by the person prior marked), `'pixels'` every such pixel too (haze along the outline, a
   * remnant touching the subject). Default true: as {@link chooseStrayMode} says, `'pixels'` when the
   * flow followed this video's edits (the guide each pick gets from the other picks called at most a
   * tenth of what its edit keeps background: {@link flowMissShare}, measured in training and recorded in
   * the model as `flow_miss`), else `'regions'`. Needs the `flow-alpha` guide and the composite head.
   */
  readonly dropStrays?: boolean | 'regions' | 'pixels';
  /** Where to keep the trained model (also the checkpoint written during training). */
  readonly saveModel?: string;
  /** Continue an interrupted training from `saveModel` (or the default training checkpoint). */
  readonly resume?: boolean;
  /**
   * Train on the picks and save the model, but stream no frame and write no `out` (the first step of
   * a queued flow, whose frame ranges apply the saved model: docs/BATCH.md). Needs `picks`, not `model`.
   */
  readonly trainOnly?: boolean;
  /**
   * Stream only frames `from` … `to - 1` (0-based at `fps`; `to` omitted: to the end), for a queued
   * flow's frame range. The guides still see every frame before `from` (optical flow carries the
   * picks' alpha frame by frame), so each frame comes out exactly as in a run over the whole video;
   * ranges starting at an even frame also keep the engine's batches of two the same.
   */
  readonly frameRange?: { readonly from: number; readonly to?: number };
  /** Also write every output frame as `<dir>/000000.png`, … */
  readonly framesOut?: string;
  /** Sampling rate. Default {@link DEFAULT_FPS} (10). */
  readonly fps?: number;
  /** Side of the centre crop. Default {@link DEFAULT_CROP} (400). */
  readonly crop?: number;
  /** Drill training options (steps, trainSeconds, batchSize, seed, …). */
  readonly training?: Omit<DrillOptions, 'signal' | 'onProgress' | 'onCheckpoint'>;
  readonly device?: 'cpu' | 'cuda';
  readonly threads?: number;
  /** Quality (CRF) of x264 and VP9, 0 … 51; ProRes ignores it. Default {@link DEFAULT_CRF} (18). */
  readonly crf?: number;
  /** Replace existing outputs. Default false. */
  readonly overwrite?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Before training, the guides read the whole video once (the edits carried to every frame by optical
   * flow, the person prior on every frame): called as each frame is read, with how many so far.
   */
  readonly onGuideProgress?: (progress: { readonly frames: number; readonly totalFrames?: number }) => void;
  readonly onTrainProgress?: (progress: DrillProgress) => void;
  readonly onFrame?: (progress: ProcessProgress) => void;
  /**
   * Called with every input frame and the model's output for it, in order, while the video streams
   * (for example a report's `FrameSampler.capture`). Frames are shared, not copied: copy what you keep.
   */
  readonly onOutputFrame?: (input: Frame, output: Frame) => void;
  /** Called with a line of news: what is being loaded, where checkpoints go. */
  readonly onInfo?: (message: string) => void;
}

/** Where the streaming phase stands. */
export interface ProcessProgress {
  /** The output format, as a person reads it (`'ProRes 4444 .mov (alpha)'`). */
  readonly format: string;
  readonly frames: number;
  readonly totalFrames?: number;
  readonly framesPerSecond: number;
  readonly etaSeconds: number;
}

/** What {@link processVideo} did. */
export interface ProcessReport {
  readonly output: string;
  /** The output format's name (`'mov-prores4444'`, `'png'`, …) and how a person reads it. */
  readonly format: OutputTargetName;
  readonly formatLabel: string;
  /** The background, as `describeBackground` writes it (`'white'`, `'transparent'`, `'picture beach.jpg'`). */
  readonly background: string;
  /** The matte written beside the output, if one was asked for. */
  readonly matte?: string;
  readonly frames: number;
  readonly picks: number;
  /** Present when the model was trained in this run. */
  readonly training?: DrillReport;
  /** The checkpoint the model was started from, or applied. */
  readonly modelSource: string;
  /** Where the trained model was saved, if it was. */
  readonly savedModel?: string;
  /** The picks whose edits painted over their frame, and how many frames the stream painted from them ({@link paintFromPicks}); absent when none painted. */
  readonly painting?: { readonly picks: readonly number[]; readonly frames: number };
  /**
   * How the stream erased what the carried edits call background ({@link ProcessVideoOptions.dropStrays}),
   * and the share of the picks' kept pixels their training guides missed (`flowMiss`), when measured.
   */
  readonly strays?: { readonly mode: StrayMode; readonly flowMiss?: number };
  readonly processSeconds: number;
  readonly framesPerSecond: number;
  readonly totalSeconds: number;
  /** Peak resident memory of this process, in MB. */
  readonly peakRssMB: number;
}

/**
 * The whole job: check the inputs, drill-train on the picked pairs (or load a trained model), then
 * stream every frame through the generator, over the chosen background, into the output format the
 * file name (or `format`) asks for, with the source's audio (every video format carries it).
 *
 * @example
 * const report = await processVideo({ video: 'interview.mp4', picks: 'picks.txt', out: 'clean.mp4' });
 * @throws {InvalidOptionError} for an unknown format, a bad background, transparency in a format
 * without alpha, or a model without alpha (the `rgb` head) where alpha is needed (all before any long work).
 * @throws {BadInputError} for a bad video, picks file, edited image or background file (before any long work).
 * @throws {OutputExistsError} when `out` exists and `overwrite` is false.
 * @throws {CheckpointError} for a missing or incompatible `base` or `model`.
 * @throws {TrainingDivergedError}, {@link CancelledError}, {@link FfmpegError}, {@link EngineError}.
 */
export async function processVideo(options: ProcessVideoOptions): Promise<ProcessReport> {
  const started = performance.now();
  // Every option is checked here, before the probe: a bad one must not surface after training.
  const { fps, crop } = checkProcessOptions(options);
  const plan = planOutput(options);
  if (options.model === undefined && options.picks === undefined) {
    throw new InvalidOptionError('Pass a picks file (--train-frames) to train on, or a trained model (--model) to apply.');
  }
  if (options.frameRange !== undefined) {
    const from = expectInteger('frameRange.from', options.frameRange.from, 0, Number.MAX_SAFE_INTEGER);
    if (options.frameRange.to !== undefined) expectInteger('frameRange.to', options.frameRange.to, from + 1, Number.MAX_SAFE_INTEGER);
  }
  if (options.trainOnly && options.model !== undefined) throw new InvalidOptionError('trainOnly trains on picks; it cannot be combined with a trained model.');
  const info = await probeVideo(options.video, { signal: options.signal });
  const totalFrames = info.durationSec === undefined ? undefined : sampledFrameCount(info.durationSec, fps);
  const picks = options.picks === undefined ? [] : await loadPicks(options.picks, { fps, frameCount: totalFrames, size: crop });
  await checkBackgroundInput(plan.background, options.signal);
  await prepareOutput(options.out, plan.target, { overwrite: options.overwrite ?? false });
  if (plan.matte !== undefined) await prepareOutputFile(plan.matte, { overwrite: options.overwrite ?? false });
  const saveModel = options.saveModel ?? (options.model === undefined ? `${options.out}.model.safetensors` : undefined);
  if (options.model === undefined && saveModel !== undefined) {
    // Training checkpoints go here: its folder must be writable, and a model trained before is kept
    // unless it is to be overwritten or resumed.
    await prepareOutputFile(saveModel, { overwrite: (options.overwrite ?? false) || (options.resume ?? false) });
  }

  const { model, source, drillStartStep, trainedWithVeto, trainedRoundTrip, trainedNeighbours, trainedLearningRate, trainedFlowMiss } = await openModel(options, saveModel);
  let kit: GuideKit | undefined;
  try {
    checkModelAlpha(plan, model.options.head, source);
    const edits = new Map(picks.map((pick) => [pick.frame, pick.target]));
    // The picks' source frames: training pairs, and what painting compares each edit with.
    const needFrames = picks.length > 0 && (options.model === undefined || (options.paint !== false && !options.trainOnly));
    const pickFrames = needFrames ? await collectFrames(options.video, picks.map((p) => p.frame), { fps, crop, signal: options.signal }) : new Map<number, Frame>();
    kit = await GuideKit.open(model.guides, { video: options.video, fps, crop, frameCount: totalFrames, edits, pickFrames, priorVeto: options.priorVeto ?? trainedWithVeto ?? true, signal: options.signal });
    if (model.guides.length > 0) options.onInfo?.(`Guides: ${model.guides.join(', ')}${kit.vetoesPrior ? ' (the person prior lowered where the edits erased what it marks)' : ''}.`);
    let training: DrillReport | undefined;
    let flowMiss = trainedFlowMiss;
    // Edits that paint over an intruder: found before training, since they also decide its round trip.
    const painting = pickFrames.size > 0 ? picksPaint(picks, pickFrames, crop) : [];
    if (options.model === undefined) {
      const roundTrip = options.roundTrip ?? trainedRoundTrip ?? defaultRoundTrip(painting.length > 0);
      if (options.roundTrip === undefined && trainedRoundTrip === undefined && painting.length > 0 && kit.names.includes(FLOW_ALPHA_GUIDE)) {
        options.onInfo?.('The edits paint over the picture: the edited frames train with the guides the other edits carry to them only (--round-trip to change).');
      }
      const learningRate = options.training?.learningRate ?? trainedLearningRate ?? DRILL_DEFAULTS.learningRate;
      // Frames beside the picks train too, unless the edits paint (the intruder moves: its carried patch would be wrong).
      const carries = kit.names.includes(FLOW_ALPHA_GUIDE);
      if (!carries && (options.neighbours ?? 0) > 0) options.onInfo?.('The frames beside the edited ones train only with the flow-alpha guide: training on the edited frames alone.');
      const neighbours = carries ? (options.neighbours ?? trainedNeighbours ?? (painting.length > 0 ? 0 : NEIGHBOUR_FRAMES)) : 0;
      ({ report: training, flowMiss } = await train(model, kit, options, picks, pickFrames, { fps, crop, saveModel: saveModel!, drillStartStep, source, totalFrames, roundTrip, neighbours, learningRate }));
    }
    const strays = strayMode(options.dropStrays, model, edits.size > 0, flowMiss);
    if (strays !== undefined && !options.trainOnly) options.onInfo?.(describeStrays(strays));
    const paints = options.paint === false || options.trainOnly ? [] : painting;
    // The subject takes the input's colours near the painting picks only when no edit changed the colours of what it kept.
    const inputOnSubject = paints.length > 0 && picks.every((pick) => copiesKept(pickFrames.get(pick.frame)!.data, pick.target, crop, crop));
    if (paints.length > 0) options.onInfo?.(`Painting: the edits of frames ${paints.map((p) => p.index).join(', ')} paint over the picture; carried to the frames around them.`);
    const streamFrames = totalFrames === undefined || options.frameRange === undefined ? totalFrames : Math.max(0, Math.min(totalFrames, options.frameRange.to ?? totalFrames) - options.frameRange.from);
    const streamed = options.trainOnly ? { frames: 0, seconds: 0, painted: 0 } : await stream(model, kit, options, { fps, crop, totalFrames: streamFrames, plan, paints, inputOnSubject, strays: strays?.mode });
    return {
      output: options.out,
      format: plan.target.name,
      formatLabel: plan.target.label,
      background: describeBackground(plan.background),
      ...(plan.matte === undefined ? {} : { matte: plan.matte }),
      frames: streamed.frames,
      picks: picks.length,
      training,
      modelSource: source,
      savedModel: options.model === undefined ? saveModel : undefined,
      ...(paints.length > 0 ? { painting: { picks: paints.map((p) => p.index), frames: streamed.painted } } : {}),
      ...(strays !== undefined && !options.trainOnly ? { strays } : {}),
      processSeconds: streamed.seconds,
      framesPerSecond: streamed.frames / Math.max(streamed.seconds, 1e-9),
      totalSeconds: (performance.now() - started) / 1000,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    kit?.dispose();
    model.dispose();
  }
}

/** The options {@link checkProcessOptions} checks. */
export type CheckedProcessOptions = { readonly [K in 'fps' | 'crop' | 'crf' | 'training' | 'emaDecay' | 'roundTrip' | 'neighbours' | 'dropStrays']?: ProcessVideoOptions[K] };

/**
 * Checks the numeric and choice options of {@link processVideo} (the output's format and background
 * are checked by `planOutput`), so that a caller with long work before it (hold-out validation, a
 * batch, a queue whose every worker would fail) can refuse a bad one first; returns the sampling.
 *
 * @example const { fps, crop } = checkProcessOptions({ video, out, neighbours: 2 });
 * @throws {InvalidOptionError} for an option outside its rule.
 */
export function checkProcessOptions(options: CheckedProcessOptions): { fps: number; crop: number } {
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  const crop = expectInteger('crop', options.crop ?? DEFAULT_CROP, 16, 4096);
  expectInteger('crf', options.crf ?? DEFAULT_CRF, 0, 51);
  checkDrillOptions(options.training);
  if (options.emaDecay !== undefined) expectNumber('emaDecay', options.emaDecay, 0, 0.999999);
  if (options.roundTrip !== undefined) expectInteger('roundTrip', options.roundTrip, 0, 100);
  if (options.neighbours !== undefined) expectInteger('neighbours', options.neighbours, 0, 10);
  if (options.dropStrays !== undefined && typeof options.dropStrays !== 'boolean') expectOneOf('dropStrays', options.dropStrays, ['regions', 'pixels']);
  return { fps, crop };
}

/** The model to train or apply, where it came from, and the step its drill began at. */
interface OpenedModel {
  readonly model: Pix2Pix;
  readonly source: string;
  readonly drillStartStep: number;
  /** For a drilled checkpoint: whether its drill saw the prior lowered by the edits (false when it predates the veto). */
  readonly trainedWithVeto?: boolean;
  /** The round trip (`roundTrip`) a resumed drill's checkpoint trained with, when it records one. */
  readonly trainedRoundTrip?: number;
  /** The frames beside each pick (`neighbours`) a resumed drill's checkpoint trained with, when it records them. */
  readonly trainedNeighbours?: number;
  /** The base learning rate a resumed drill's checkpoint trained at (2e-4 for drills from before it was recorded). */
  readonly trainedLearningRate?: number;
  /** A drilled checkpoint's {@link flowMissShare}, when it records one. */
  readonly trainedFlowMiss?: number;
}

// A drill checkpoint records the step its drill began at, so that a resumed drill keeps its budget,
// whether its prior was lowered by the edits, so that applying it feeds it the same prior, and the
// round trip and neighbours its picks trained with and its base learning rate, so that a resumed drill goes on as it began.
const DRILL_START_KEY = 'drill_start_step';
const PRIOR_VETO_KEY = 'prior_veto';
const ROUND_TRIP_KEY = 'round_trip';
const NEIGHBOURS_KEY = 'neighbours';
const LEARNING_RATE_KEY = 'learning_rate';
const FLOW_MISS_KEY = 'flow_miss';
/** The drills' learning rate before session 12 made it 5e-4: a checkpoint that records none trained at this. */
const EARLIER_LEARNING_RATE = 2e-4;

/**
 * A drilled checkpoint's recorded {@link flowMissShare}, when it is a share and was measured on this
 * video: a model applied to another video says nothing of how the flow follows that one (regions then).
 */
function flowMissOf(metadata: Readonly<Record<string, string>>, video: string): { trainedFlowMiss?: number } {
  const text = metadata[FLOW_MISS_KEY] ?? '';
  if (!/^\d+(\.\d+)?$/.test(text) || metadata.video === undefined || resolve(metadata.video) !== resolve(video)) return {};
  const share = Number(text);
  return share <= 1 ? { trainedFlowMiss: share } : {};
}

/**
 * How the stream drops strays ({@link ProcessVideoOptions.dropStrays}); undefined when it does not: turned
 * off, no edits carried, or a model without the flow guide or an alpha.
 */
function strayMode(option: ProcessVideoOptions['dropStrays'], model: Pix2Pix, hasEdits: boolean, flowMiss: number | undefined): { mode: StrayMode; flowMiss?: number } | undefined {
  if (option === false || !hasEdits || !model.guides.includes(FLOW_ALPHA_GUIDE) || model.options.head !== 'composite') return undefined;
  const mode = option === 'regions' || option === 'pixels' ? option : chooseStrayMode(flowMiss);
  return { mode, ...(flowMiss !== undefined ? { flowMiss } : {}) };
}

function describeStrays({ mode, flowMiss }: { mode: StrayMode; flowMiss?: number }): string {
  const measured = flowMiss === undefined ? 'not measured on this video' : `${(flowMiss * 100).toFixed(1)}% of what the edits keep called background`;
  const chosen = chooseStrayMode(flowMiss) === mode;
  return mode === 'pixels'
    ? `Erasing wherever the edits, carried by optical flow, erased, unless the model is sure (${chosen ? 'the flow followed the edits' : 'as asked; the flow'}: ${measured}; --no-drop-strays keeps what the model keeps).`
    : `Erasing regions apart from the subject where the edits, carried by optical flow, erased (${chosen ? 'the flow' : 'as asked; the flow'}, ${measured}${chosen ? ', is not trusted pixel by pixel' : ''}; --no-drop-strays keeps them).`;
}

/** An integer a checkpoint records under `key`, when it is one from 0 to `most`. */
function recordedInteger(metadata: Readonly<Record<string, string>>, key: string, most: number): number | undefined {
  const value = Number(metadata[key] ?? NaN);
  return Number.isInteger(value) && value >= 0 && value <= most ? value : undefined;
}

/** A drilled checkpoint's prior veto: as recorded; a drilled checkpoint from before the veto had none. */
function vetoOf(metadata: Readonly<Record<string, string>>): boolean | undefined {
  if (metadata[PRIOR_VETO_KEY] !== undefined) return metadata[PRIOR_VETO_KEY] === 'true';
  return metadata[DRILL_START_KEY] !== undefined ? false : undefined;
}

async function openModel(options: ProcessVideoOptions, saveModel: string | undefined): Promise<OpenedModel> {
  const engine = { device: options.device, threads: options.threads };
  if (options.model !== undefined) {
    const model = await Pix2Pix.load(options.model, engine);
    const info = await Pix2Pix.readCheckpointInfo(options.model);
    return { model, source: options.model, drillStartStep: model.step, trainedWithVeto: vetoOf(info.metadata), ...flowMissOf(info.metadata, options.video) };
  }
  if (options.resume && saveModel !== undefined && existsSync(saveModel)) {
    const info = await Pix2Pix.readCheckpointInfo(saveModel);
    const model = await Pix2Pix.load(saveModel, engine);
    const drillStartStep = Number(info.metadata[DRILL_START_KEY] ?? 0);
    options.onInfo?.(`Resuming training from ${saveModel} at step ${model.step - drillStartStep}.`);
    const recorded = recordedInteger(info.metadata, ROUND_TRIP_KEY, 100);
    const trainedRoundTrip = recorded === undefined ? {} : { trainedRoundTrip: recorded };
    const beside = recordedInteger(info.metadata, NEIGHBOURS_KEY, 10);
    const trainedNeighbours = beside === undefined ? {} : { trainedNeighbours: beside };
    const rate = Number(info.metadata[LEARNING_RATE_KEY] ?? EARLIER_LEARNING_RATE);
    const trainedLearningRate = Number.isFinite(rate) && rate > 0 && rate <= 1 ? rate : EARLIER_LEARNING_RATE;
    return { model, source: saveModel, drillStartStep, trainedWithVeto: vetoOf(info.metadata), ...trainedRoundTrip, ...trainedNeighbours, trainedLearningRate };
  }
  const spec = resolveGuideSpec(options);
  const base = options.base ?? defaultBasePath(spec);
  if (base === 'none') {
    const model = await Pix2Pix.create({ ...engine, seed: options.training?.seed, ...spec, ...(options.emaDecay !== undefined ? { emaDecay: options.emaDecay } : {}) });
    return { model, source: 'none (trained from scratch)', drillStartStep: 0 };
  }
  if (!existsSync(base) && options.base === undefined) {
    throw new CheckpointError(
      `The bundled base checkpoint ${base} is missing from this installation. Reinstall vidgan, name another with --base, or pass --base none to train from scratch.`,
    );
  }
  const model = await Pix2Pix.loadWithGuides(base, spec, { ...engine, ...(options.emaDecay !== undefined ? { emaDecay: options.emaDecay } : {}) });
  return { model, source: base, drillStartStep: model.step };
}


async function train(
  model: Pix2Pix,
  kit: GuideKit,
  options: ProcessVideoOptions,
  picks: readonly Pick[],
  frames: ReadonlyMap<number, Frame>,
  at: { fps: number; crop: number; saveModel: string; drillStartStep: number; source: string; totalFrames?: number; roundTrip: number; neighbours: number; learningRate: number },
): Promise<{ report: DrillReport; flowMiss?: number }> {
  const onGuideProgress = options.onGuideProgress;
  const distance = at.roundTrip;
  const guides = await kit.trainingGuides(frames, {
    forStream: options.trainOnly !== true,
    roundTrip: distance,
    neighbours: at.neighbours,
    ...(onGuideProgress ? { onFrame: (index: number) => onGuideProgress({ frames: index + 1, totalFrames: at.totalFrames }) } : {}),
  });
  // How well the flow followed this video: the far guides against the picks' own edits.
  const flowIndex = kit.names.indexOf(FLOW_ALPHA_GUIDE);
  const flowMiss =
    flowIndex < 0 ? undefined : flowMissShare(picks.map((pick) => ({ kept: nonWhiteMask(pick.target, at.crop, at.crop), flowAlpha: guides.planes.get(pick.frame)![flowIndex]! })));
  // Each pick trains with the guides a frame far from the picks gets and, where it has them, with
  // those of a frame near it: the sampler draws the two alike. With the flow guide, its matte tells
  // the alpha loss which white pixels are the subject (a white shirt).
  const mattes = flowIndex < 0 ? undefined : await kit.pickMattes(frames);
  const pairs: ImagePair[] = picks.flatMap((pick) =>
    [kit.names.length > 0 ? guides.planes.get(pick.frame)! : undefined, guides.nearby.get(pick.frame)]
      .filter((planes, k) => k === 0 || planes !== undefined)
      .map((planes) => ({
        input: frames.get(pick.frame)!.data,
        target: pick.target,
        width: at.crop,
        height: at.crop,
        ...(planes !== undefined ? { guides: planes } : {}),
        ...(mattes?.has(pick.frame) ? { matte: mattes.get(pick.frame)! } : {}),
      })),
  );
  // And the frames beside the picks, with the picks' edits carried onto them (what the picks never showed left out).
  for (const pair of guides.carried) pairs.push({ input: pair.input, target: pair.target, width: at.crop, height: at.crop, guides: pair.planes, weights: pair.weights });
  const save = async () => {
    await model.save(at.saveModel, {
      metadata: {
        [DRILL_START_KEY]: String(at.drillStartStep),
        [PRIOR_VETO_KEY]: String(kit.vetoesPrior),
        [ROUND_TRIP_KEY]: String(at.roundTrip),
        [NEIGHBOURS_KEY]: String(at.neighbours),
        [LEARNING_RATE_KEY]: String(at.learningRate),
        ...(flowMiss !== undefined ? { [FLOW_MISS_KEY]: flowMiss.toFixed(4) } : {}),
        made_by: 'vidgan process',
        video: options.video,
        picks: options.picks ?? '',
        base: at.source,
        drill_seed: String(options.training?.seed ?? 0),
      },
    });
  };
  const near =
    guides.nearby.size === 0 ? '' : guides.nearby.size === picks.length ? `, each also with the guides of a frame ${distance} away` : `, ${guides.nearby.size} also with the guides of a frame ${distance} away`;
  const beside = guides.carried.length > 0 ? `, and ${guides.carried.length} frames beside them with their edits carried` : '';
  options.onInfo?.(`Training on ${picks.length} edited frames (${pairs.length - guides.carried.length} pairs${near}${beside}); checkpoints go to ${at.saveModel}.`);
  try {
    const report = await trainDrill(model, pairs, {
      ...options.training,
      learningRate: at.learningRate,
      startStep: at.drillStartStep,
      signal: options.signal,
      onProgress: options.onTrainProgress,
      onCheckpoint: save,
    });
    await save();
    return { report, ...(flowMiss !== undefined ? { flowMiss } : {}) };
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new CancelledError(`${error.message} The checkpoint is in ${at.saveModel}: run again with --resume to continue.`);
    }
    throw error;
  }
}

async function stream(
  model: Pix2Pix,
  kit: GuideKit,
  options: ProcessVideoOptions,
  at: { fps: number; crop: number; totalFrames?: number; plan: OutputPlan; paints: readonly PickPaint[]; inputOnSubject?: boolean; strays?: StrayMode },
): Promise<{ frames: number; seconds: number; painted: number }> {
  const { plan } = at;
  let painted = 0;
  const budget = new FrameBudget(16);
  const started = performance.now();
  let frames = 0;
  const inputs = new Map<number, Frame>();
  const range = options.frameRange;
  const to = range?.to ?? Number.POSITIVE_INFINITY;
  const decoded = decodeVideo(options.video, { fps: at.fps, crop: at.crop, budget, signal: options.signal }).pipe(
    range === undefined ? identity : takeWhile((frame: Frame) => frame.index < to),
  );
  // Frames before the range still go through the guides (flow needs them) and are then let go.
  const inRange = filter((frame: Frame) => {
    if (range === undefined || frame.index >= range.from) return true;
    budget.releaseThrough(frame.index);
    inputs.delete(frame.index);
    return false;
  });
  const tapped = options.onOutputFrame === undefined ? decoded : decoded.pipe(tap((frame) => inputs.set(frame.index, frame)));
  const generated = tapped.pipe(
    kit.stage(),
    inRange,
    paintFromPicks(
      options.steadyOutlines === undefined || options.steadyOutlines === false ? generate(model) : steadyOutlines(generate(model), options.steadyOutlines),
      at.paints,
      { onPainted: () => painted++, inputOnSubject: at.inputOnSubject ?? true },
    ),
    at.strays === undefined ? identity : dropStrays({ pixels: at.strays === 'pixels' }),
    plan.alphaFromWhite !== undefined && model.options.head !== 'composite' ? alphaFromWhite({ tolerance: plan.alphaFromWhite }) : identity,
    options.alphaSnap === undefined || options.alphaSnap === false ? identity : snapAlpha(options.alphaSnap),
    // Only where the alpha is used: the white output stays exactly what the model painted.
    plan.needsAlpha ? trimWhiteEdges() : identity,
    tap((output) => {
      const input = inputs.get(output.index);
      inputs.delete(output.index);
      if (input !== undefined) options.onOutputFrame?.(input, output);
    }),
  );
  // Stages that are unsubscribed (rather than ended by an error of their own) hand their cleanup
  // here: the job settles only once ffmpeg has exited and no temporary file is left.
  const cleanup = new CleanupTracker();
  const transparent = plan.background.kind === 'transparent';
  const composed = generated.pipe(
    plan.matte === undefined
      ? identity
      : writeMatte(plan.matte, { fps: at.fps, crf: options.crf ?? DEFAULT_CRF, overwrite: options.overwrite, signal: options.signal, cleanup }),
    replaceBackground(plan.background, { fps: at.fps, cleanup }),
  );
  const saved = options.framesOut === undefined ? composed : composed.pipe(savePngs(options.framesOut, { alpha: transparent, cleanup }));
  const sink: OperatorFunction<Frame, { readonly framesWritten: number }> =
    plan.target.kind === 'png-folder'
      ? writePngSequence(options.out, { alpha: true, budget, cleanup })
      : encodeVideo(options.out, {
          fps: at.fps,
          crf: options.crf ?? DEFAULT_CRF,
          format: plan.target.format,
          audioFrom: options.video,
          overwrite: options.overwrite,
          budget,
          signal: options.signal,
          cleanup,
        });
  try {
    await lastValueFrom(
      saved.pipe(
        sink,
        tap((p) => {
          frames = p.framesWritten;
          const seconds = (performance.now() - started) / 1000;
          const framesPerSecond = frames / Math.max(seconds, 1e-3);
          const left = at.totalFrames === undefined ? Number.NaN : Math.max(0, at.totalFrames - frames);
          options.onFrame?.({ format: plan.target.label, frames, totalFrames: at.totalFrames, framesPerSecond, etaSeconds: left / framesPerSecond });
        }),
      ),
    );
  } finally {
    await cleanup.settled();
  }
  return { frames, seconds: (performance.now() - started) / 1000, painted };
}
