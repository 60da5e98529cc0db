import { InvalidOptionError } from '../pipeline/errors';
import { l1 } from './l1';
import { maskIoU } from './mask-iou';
import { nonWhiteMask } from './non-white-mask';
import { psnr } from './psnr';
import { ssim } from './ssim';

/**
 * PSNR of identical frames is infinite; scores are capped here so that averages and JSON stay finite.
 * 100 dB is far above any real difference (an RMS error of 0.0026 grey levels).
 */
export const PSNR_CAP_DB = 100;

/** The scores of one output frame. A metric is absent when there was nothing to compare it with. */
export interface FrameScore {
  /** Frame index (from the file name or the decode order). */
  readonly index: number;
  /** Mean absolute difference to the reference edited frame, 0–1 (see {@link l1}). */
  readonly l1?: number;
  /** PSNR against the reference edited frame in dB, capped at {@link PSNR_CAP_DB}. */
  readonly psnr?: number;
  /** SSIM against the reference edited frame (see {@link ssim}). */
  readonly ssim?: number;
  /** IoU of the output's non-white region with the reference mask, or with the reference's non-white region. */
  readonly iou?: number;
}

/** What {@link scoreFrame} compares an output frame with. */
export interface FrameReference {
  /** The reference edited frame, packed RGB24 of the output's size. */
  readonly edited?: Uint8Array;
  /** The true mask (one byte per pixel, foreground from 128 up); preferred over `edited` for the IoU. */
  readonly mask?: Uint8Array;
  /** Mask tolerance of {@link nonWhiteMask} (default 24). */
  readonly tolerance?: number;
}

/**
 * Scores one output frame: L1, PSNR and SSIM against the reference edited frame, and the IoU of the
 * output's non-white region against the true mask (or against the edited frame's non-white region
 * when no mask is given).
 *
 * @example
 * scoreFrame(12, output, 400, 400, { edited, tolerance: 24 }); // { index: 12, l1: 0.01, psnr: 31.2, ssim: 0.95, iou: 0.97 }
 * @throws {InvalidOptionError} when neither `edited` nor `mask` is given, or a size does not match.
 */
export function scoreFrame(
  index: number,
  output: Uint8Array,
  width: number,
  height: number,
  reference: FrameReference,
): FrameScore {
  const { edited, mask, tolerance } = reference;
  if (edited === undefined && mask === undefined) {
    throw new InvalidOptionError(`Frame ${index}: pass a reference edited frame or mask to score it against.`);
  }
  const outputMask = nonWhiteMask(output, width, height, { tolerance });
  const truth = mask ?? nonWhiteMask(edited!, width, height, { tolerance });
  const iou = maskIoU(outputMask, truth);
  if (edited === undefined) return { index, iou };
  return {
    index,
    l1: l1(output, edited),
    psnr: Math.min(psnr(output, edited), PSNR_CAP_DB),
    ssim: ssim(output, edited, width, height),
    iou,
  };
}
