/**
 * vidgan's public API: re-exports only.
 */

// Frames, the stage contract, the bounded runtime, errors.
export * from './pipeline/errors';
export { makeFrame, withPixels, type Frame } from './pipeline/frame';
export type { FrameStage } from './pipeline/frame-stage';
export { FrameBudget } from './pipeline/frame-budget';
export { releaseFrames } from './pipeline/release-frames';

// Stages.
export { decodeVideo, type DecodeVideoOptions } from './stages/decode-video';
export { centerCrop, cropFrame } from './stages/center-crop';
export { cropGeometry, type CropGeometry } from './stages/crop-geometry';
export { mapFrames, type MapFramesOptions } from './stages/map-frames';
export { encodeVideo, X264_PRESETS, type EncodeVideoOptions, type EncodeProgress } from './stages/encode-video';
export { writePngSequence, pngFileName, type WritePngSequenceOptions, type PngWriteProgress } from './stages/write-png-sequence';

// ffmpeg helpers.
export { probeVideo, type ProbeVideoOptions } from './stages/ffmpeg/probe-video';
export { sampledFrameCount, type VideoInfo } from './stages/ffmpeg/parse-probe';
export { resolveFfmpegPath } from './stages/ffmpeg/ffmpeg-path';
