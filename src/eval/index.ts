/**
 * Quality metrics on packed RGB24 frames and 0/255 masks: L1, PSNR, SSIM, the non-white mask of a
 * background-erased frame, mask IoU, and temporal stability (flicker).
 */
export { l1 } from './l1';
export { psnr } from './psnr';
export { ssim } from './ssim';
export { nonWhiteMask, type NonWhiteMaskOptions } from './non-white-mask';
export { maskIoU, MASK_THRESHOLD } from './mask-iou';
export { maskChange } from './mask-change';
export { flicker, flickerSeries, type FlickerOptions, type FlickerStep } from './flicker';
export { summarize, type Summary } from './summarize';
export { frameNumberOf } from './frame-number';
export { listNumberedImages, IMAGE_EXTENSIONS } from './list-numbered-images';
export { readRgbImage, readMaskImage, type DecodedImage } from './read-image';
export { iterateFrames } from './iterate-frames';
export { scoreFrame, PSNR_CAP_DB, type FrameScore, type FrameReference } from './score-frame';
