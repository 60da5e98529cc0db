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
export { OUTPUT_FORMATS, outputFormat, formatForPath, type OutputFormat, type OutputFormatName } from './stages/ffmpeg/output-format';

// The engine.
export { Pix2Pix, type Pix2PixCreateOptions, type Pix2PixLoadOptions, type TrainBatch, type TrainLosses, type GenerateOutput, type SaveOptions } from './gan/pix2pix';
export { PRESETS, DEFAULT_PRESET, describeArchitecture, type ModelOptions, type PresetName } from './gan/model-options';
export { defaultBasePath } from './gan/default-base';
export { generate, type GenerateOptions } from './stages/generate';
export { snapAlpha, type SnapAlphaOptions } from './stages/snap-alpha';

// Guides: the person prior, optical flow and the picks' alpha carried by it.
export { PersonPrior, type PersonPriorOptions, type PersonPriorModel } from './prior/person-prior';
export { personPrior, PERSON_PRIOR_GUIDE, type PersonPriorStageOptions } from './stages/person-prior';
export { computeFlow, type FlowOptions } from './flow/compute-flow';
export { warpPlane } from './flow/warp-plane';
export { propagateAlpha, FLOW_ALPHA_GUIDE, type PropagateAlphaOptions } from './flow/propagate-alpha';
export { leaveOneOutAlphas } from './flow/leave-one-out-alphas';
export { GuideKit, DEFAULT_GUIDES, KNOWN_GUIDES, resolveGuideSpec, type GuideSources } from './guides/guide-kit';
export { savePngs } from './stages/save-pngs';

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
export { collectFrames } from './jobs/collect-frames';
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
export { writeReport, type ReportData } from './report';

// Metrics.
export { l1, psnr, ssim, nonWhiteMask, maskIoU, maskChange, flicker, summarize, scoreFrame, readRgbImage, readMaskImage } from './eval';
export type { NonWhiteMaskOptions, FlickerOptions, Summary, FrameScore, FrameReference, DecodedImage } from './eval';
