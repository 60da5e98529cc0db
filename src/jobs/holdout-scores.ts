import { DEFAULT_CROP, DEFAULT_FPS } from '../pipeline/default-sampling';
import { assignFolds } from '../drill/assign-folds';
import { checkDrillOptions } from '../drill/train-drill';
import { crossValidate, type HoldoutOptions, type HoldoutReport } from './holdout';
import { loadPicks } from '../drill/load-picks';
import { expectInteger, expectNumber, expectOneOf } from '../pipeline/validate';
import { sampledFrameCount } from '../stages/ffmpeg/parse-probe';
import { probeVideo } from '../stages/ffmpeg/probe-video';
import { collectFrames } from '../stages/collect-frames';
import { defaultRoundTrip, GuideKit, resolveGuideSpec } from '../guides/guide-kit';
import { picksPaint } from '../patch/pick-paint';
import { chooseStrayMode, flowMissShare, type StrayMode } from '../patch/drop-strays';
import { FLOW_ALPHA_GUIDE } from '../flow/propagate-alpha';
import { nonWhiteMask } from '../eval/non-white-mask';

/** Options of {@link holdoutScores}: those of {@link crossValidate} plus how the video is sampled. */
export interface HoldoutScoresOptions extends HoldoutOptions {
  /** Sampling rate the pick indices refer to. Default 10. */
  readonly fps?: number;
  /** Side of the centre crop (and of the edited images). Default 400. */
  readonly crop?: number;
  /** Lower the person prior where the edits erased what it marks (`GuideSources.priorVeto`). Default true. */
  readonly priorVeto?: boolean;
  /**
   * Train each fold's picks also with the guides of a frame this many frames away, as `processVideo`
   * does (`ProcessVideoOptions.roundTrip`); the held-out picks are scored with the far guides only.
   * Default as `processVideo`'s ({@link defaultRoundTrip}: 3, or 0 when the edits paint).
   */
  readonly roundTrip?: number;
  /**
   * Erase strays from the held-out predictions as `processVideo` would stream them (its `dropStrays`:
   * true for {@link chooseStrayMode} by the picks' {@link flowMissShare}, or the mode given). Default true.
   */
  readonly dropStrays?: boolean | StrayMode;
  /** Called as the guides' pass (the edits carried through the video, before the folds train) reads each frame. */
  readonly onGuideProgress?: (progress: { readonly frames: number; readonly totalFrames?: number }) => void;
}

/**
 * k-fold hold-out validation of a picks file on its video: loads and checks the picks, decodes their
 * source frames (the frames `vidgan extract` writes), and runs {@link crossValidate}. It tells the
 * quality to expect on the frames nobody edited, with its spread, before processing the whole video.
 *
 * @example
 * const h = await holdoutScores('interview.mp4', 'picks.txt', { k: 5, training: { trainSeconds: 60 } });
 * console.log(`held-out IoU ${h.meanIoU.toFixed(3)} ± ${h.stdIoU.toFixed(3)}`);
 * @throws {InvalidOptionError} for fewer than 2 picks or `k` outside 2 … picks.
 * @throws {BadInputError} for a bad video, picks file or edited image (before any training).
 * @throws {CheckpointError}, {TrainingDivergedError}, {CancelledError}, {EngineError}.
 */
export async function holdoutScores(video: string, picksFile: string, options: HoldoutScoresOptions): Promise<HoldoutReport> {
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  const crop = expectInteger('crop', options.crop ?? DEFAULT_CROP, 16, 4096);
  if (options.roundTrip !== undefined) expectInteger('roundTrip', options.roundTrip, 0, 100);
  if (options.dropStrays !== undefined && typeof options.dropStrays !== 'boolean') expectOneOf('dropStrays', options.dropStrays, ['regions', 'pixels']);
  checkDrillOptions(options.training);
  const info = await probeVideo(video, { signal: options.signal });
  const frameCount = info.durationSec === undefined ? undefined : sampledFrameCount(info.durationSec, fps);
  const picks = await loadPicks(picksFile, { fps, frameCount, size: crop });
  // Check k against the picks before decoding anything.
  assignFolds(
    picks.map((p) => p.frame),
    options.k,
  );
  const frames = await collectFrames(
    video,
    picks.map((p) => p.frame),
    { fps, crop, signal: options.signal },
  );
  const guides = options.guides ?? resolveGuideSpec({});
  // Each held-out frame's flow guide comes from every other pick (leave-one-out): exact for k = picks,
  // a little optimistic for fewer folds, where a fold's other held-out picks also guide it.
  const kit = await GuideKit.open(guides.guides, { video, fps, crop, frameCount, edits: new Map(picks.map((p) => [p.frame, p.target])), priorVeto: options.priorVeto, signal: options.signal });
  try {
    const roundTrip = options.roundTrip ?? defaultRoundTrip(picksPaint(picks, frames, crop).length > 0);
    const onGuideProgress = options.onGuideProgress;
    const onFrame = onGuideProgress && ((index: number) => onGuideProgress({ frames: index + 1, totalFrames: frameCount }));
    const { planes, nearby } = await kit.trainingGuides(frames, { forStream: false, roundTrip, ...(onFrame ? { onFrame } : {}) });
    // As processVideo trains them: with the flow guide, each pick's matte marks the white it kept as subject.
    const mattes = guides.guides.includes(FLOW_ALPHA_GUIDE) ? await kit.pickMattes(frames) : undefined;
    const pairs = picks.map((p) => ({
      index: p.frame,
      input: frames.get(p.frame)!.data,
      target: p.target,
      width: crop,
      height: crop,
      ...(guides.guides.length > 0 ? { guides: planes.get(p.frame)! } : {}),
      ...(nearby.has(p.frame) ? { nearbyGuides: nearby.get(p.frame)! } : {}),
      ...(mattes?.has(p.frame) ? { matte: mattes.get(p.frame)! } : {}),
    }));
    const flowIndex = guides.guides.indexOf(FLOW_ALPHA_GUIDE);
    const flowMiss =
      flowIndex < 0 ? undefined : flowMissShare(pairs.map((pair) => ({ kept: nonWhiteMask(pair.target, crop, crop), flowAlpha: pair.guides![flowIndex]! })));
    const forced = options.dropStrays === 'regions' || options.dropStrays === 'pixels' ? options.dropStrays : undefined;
    const strays = options.dropStrays === false || flowIndex < 0 ? undefined : (forced ?? chooseStrayMode(flowMiss));
    return await crossValidate(pairs, { ...options, guides, ...(strays !== undefined ? { strays } : {}) });
  } finally {
    kit.dispose();
  }
}
