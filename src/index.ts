/**
 * vidgan's public API: re-exports only.
 */

// Frames, the stage contract, the bounded runtime, errors.
export * from './pipeline/errors';
export { makeFrame, withPixels, type Frame } from './pipeline/frame';
export type { FrameStage } from './pipeline/frame-stage';
export { FrameBudget } from './pipeline/frame-budget';
export { CleanupTracker } from './pipeline/cleanup-tracker';

// Stages.
export { decodeVideo, type DecodeVideoOptions } from './stages/decode-video';
export { centerCrop, cropFrame } from './stages/center-crop';
export { mapFrames, type MapFramesOptions } from './stages/map-frames';
export { encodeVideo, X264_PRESETS, type EncodeVideoOptions, type EncodeProgress } from './stages/encode-video';
export { writePngSequence, pngFileName, type WritePngSequenceOptions, type PngWriteProgress } from './stages/write-png-sequence';

// ffmpeg helpers.
export { probeVideo, type ProbeVideoOptions } from './stages/ffmpeg/probe-video';
export type { VideoInfo } from './stages/ffmpeg/parse-probe';
export { resolveFfmpegPath } from './stages/ffmpeg/ffmpeg-path';
export { OUTPUT_FORMATS, OUTPUT_FORMAT_NAMES, outputFormat, formatForPath, type OutputFormat, type OutputFormatName } from './stages/ffmpeg/output-format';

// The engine.
export { Pix2Pix, type Pix2PixCreateOptions, type Pix2PixLoadOptions, type TrainBatch, type TrainLosses, type GenerateOutput, type SaveOptions } from './gan/pix2pix';
export { PRESETS, DEFAULT_PRESET, describeArchitecture, type ModelOptions, type PresetName } from './gan/model-options';
export { defaultBasePath } from './gan/default-base';
export { generate, type GenerateOptions } from './stages/generate';
export { snapAlpha, type SnapAlphaOptions } from './stages/snap-alpha';

// Backgrounds, transparency and output formats.
export { replaceBackground, type ReplaceBackgroundOptions } from './stages/replace-background';
export { parseBackground, describeBackground, IMAGE_EXTENSIONS, type Background } from './stages/background';
export { compositeOver, foregroundFromWhite, type BackgroundPixels } from './stages/composite-over';
export { decontaminateEdges } from './stages/decontaminate-edges';
export { trimWhiteEdges, type TrimWhiteEdgesOptions } from './stages/trim-white-edges';
export { alphaFromWhite, DEFAULT_WHITE_TOLERANCE, type AlphaFromWhiteOptions } from './stages/alpha-from-white';
export { writeMatte, type WriteMatteOptions } from './stages/write-matte';
export { outputTarget, OUTPUT_TARGET_NAMES, PNG_FOLDER, type OutputTarget, type OutputTargetName } from './stages/output-target';
export { planOutput, type OutputOptions, type OutputPlan } from './jobs/plan-output';

// Guides: the person prior, optical flow and the picks' alpha carried by it.
export { PersonPrior, type PersonPriorOptions, type PersonPriorModel } from './prior/person-prior';
export { personPrior, PERSON_PRIOR_GUIDE, type PersonPriorStageOptions } from './stages/person-prior';
export { computeFlow, type FlowOptions } from './flow/compute-flow';
export { warpPlane } from './flow/warp-plane';
export { propagateAlpha, FLOW_ALPHA_GUIDE, type PropagateAlphaOptions } from './flow/propagate-alpha';
export { leaveOneOutAlphas, type LeaveOneOutOptions } from './flow/leave-one-out-alphas';
export { attachStoredAlpha } from './flow/attach-stored-alpha';
export { attachStoredPlanes } from './flow/attach-stored-planes';
export { keepPlanes } from './flow/keep-planes';
export { PlaneStore } from './io/plane-store';
export { GuideKit, DEFAULT_GUIDES, KNOWN_GUIDES, resolveGuideSpec, type GuideSources } from './guides/guide-kit';
export { savePngs } from './stages/save-pngs';
export { pickPaint, type PickPaint, type PickPaintOptions } from './patch/pick-paint';
export { paintCover, applyCover, type PaintCover, type PaintCoverOptions, type PreviousCover } from './patch/paint-cover';
export { paintFromPicks, type PaintFromPicksOptions } from './patch/paint-from-picks';
export { dropStrays, strayPixels, STRAY_FLOW_BELOW, type DropStraysOptions } from './patch/drop-strays';

// Drill training and pretraining.
export { parsePicks, type PickSpec, type ParsePicksOptions } from './drill/parse-picks';
export { loadPicks, type Pick, type LoadPicksOptions } from './drill/load-picks';
export type { ImagePair } from './data/image-pair';
export type { AugmentOptions } from './drill/augment';
export { trainDrill, type DrillOptions, type DrillProgress, type DrillReport, type LossPoint } from './drill/train-drill';
export { pretrain, type PretrainOptions, type PretrainReport } from './drill/pretrain';
export { loadPairFolder } from './data/load-pair-folder';
export { synthPortrait, synthPortraits, synthScene, type SynthPair, type SynthScene, type SynthSceneOptions } from './data/synth';
export { writeSynthClip, type SynthClip, type WriteSynthClipOptions } from './data/synth/write-synth-clip';

// Jobs.
export { processVideo, type ProcessVideoOptions, type ProcessReport, type ProcessProgress } from './jobs/process-video';
export { collectFrames } from './stages/collect-frames';
export { scoreOutputs, type ScoreOutputsOptions, type EvalReport } from './jobs/score-outputs';
export { holdoutScores, type HoldoutScoresOptions } from './jobs/holdout-scores';
export { processAndReport, type ProcessAndReportOptions, type ProcessAndReportResult } from './jobs/process-and-report';

// Batch conversion.
export {
  runBatch,
  type RunBatchOptions,
  type BatchReport,
  type BatchJobResult,
  type BatchJobStart,
  type BatchProgress,
} from './jobs/batch/run-batch';
export { makeBatchJob, batchJobId, type BatchJob, type BatchJobSpec } from './jobs/batch/batch-job';
export { parseJobsFile, loadJobsFile, type ParseJobsOptions } from './jobs/batch/parse-jobs-file';
export { expandVideos, VIDEO_EXTENSIONS } from './jobs/batch/expand-videos';
export { jobsFromVideos, type JobsFromVideosOptions } from './jobs/batch/jobs-from-videos';
export {
  readManifest,
  MANIFEST_NAME,
  type BatchManifest,
  type ManifestEntry,
  type BatchJobState,
  type BatchJobError,
} from './jobs/batch/manifest';

// Hold-out validation.
export {
  crossValidate,
  type HoldoutOptions,
  type HoldoutReport,
  type HoldoutFold,
  type HoldoutFrameScore,
  type HeldOutPrediction,
  type IndexedPair,
} from './jobs/holdout';

// The HTML report.
export { writeReport, type ReportData, type FrameMapData, frameMapSvg, type FrameMapPoint } from './report';

// Frame embeddings: which frames to edit, which frames will fail, which frames are alike.
export { embedFrame, embeddingDistance, EMBEDDING_SIZE, EMBEDDING_VERSION } from './select/frame-embedding';
export { embedFrames, type FrameEmbedding } from './select/embed-frames';
export { embedVideo, type EmbedVideoOptions, type VideoEmbeddings } from './select/embed-video';
export { farthestPoints, type FarthestPointsOptions } from './select/farthest-points';
export { refineMedoids, type RefineMedoidsOptions } from './select/refine-medoids';
export { suggestPicks, type SuggestPicksOptions } from './select/suggest-picks';
export { outlierScores, DEFAULT_OUTLIER_THRESHOLD, type OutlierScore, type OutlierScoresOptions } from './select/outlier-scores';
export { nearestFrames, type FrameDistance } from './select/nearest-frames';
export { tsne, type TsneOptions } from './select/tsne';
export { suggestFrames, type SuggestFramesOptions, type SuggestFramesReport } from './jobs/select/suggest-frames';
export { findOutliers, type FindOutliersOptions, type OutliersReport } from './jobs/select/find-outliers';
export { similarFrames, type SimilarFramesOptions } from './jobs/select/similar-frames';
export { dropFrames, type DropFramesOptions } from './jobs/select/drop-frames';
export { frameMapData, type FrameMapDataOptions } from './jobs/select/frame-map-data';
export { writeSplicedClip, type SplicedClip, type WriteSplicedClipOptions, type ForeignKind } from './data/synth/write-spliced-clip';

// Metrics.
export { l1, psnr, ssim, nonWhiteMask, maskIoU, maskChange, flicker, summarize, scoreFrame, readRgbImage, readMaskImage } from './eval';
export type { NonWhiteMaskOptions, FlickerOptions, Summary, FrameScore, FrameReference, DecodedImage } from './eval';
