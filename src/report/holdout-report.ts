import type { LossPoint } from '../drill/train-drill';
import type { FrameScore } from '../eval/score-frame';
import type { Summary } from '../eval/summarize';

/*
 * The data a k-fold hold-out produces (jobs/holdout.ts) and the report renders: plain values, so the
 * report layer depends on no job.
 */

/** One held-out frame as predicted by the fold that did not train on it. */
export interface HeldOutPrediction {
  readonly fold: number;
  readonly score: HoldoutFrameScore;
  readonly width: number;
  readonly height: number;
  /** Packed RGB24 source frame. */
  readonly input: Uint8Array;
  /** Packed RGB24 output of the fold's model. */
  readonly output: Uint8Array;
  /** Packed RGB24 edited frame (the reference). */
  readonly target: Uint8Array;
}

/** The scores of a held-out frame and its fold. */
export interface HoldoutFrameScore extends FrameScore {
  readonly fold: number;
}

/** One fold of a {@link HoldoutReport}. */
export interface HoldoutFold {
  readonly fold: number;
  /** The picked frames this fold held out (and scored). */
  readonly heldOut: readonly number[];
  /** Number of picks it trained on. */
  readonly trainPairs: number;
  readonly steps: number;
  readonly trainSeconds: number;
  readonly meanIoU: number;
  readonly meanPSNR: number;
  readonly meanSSIM: number;
  /** The fold's training loss curve. */
  readonly curve: readonly LossPoint[];
}

/** What {@link holdoutScores} measured: the expected quality on frames the model never saw. */
export interface HoldoutReport {
  readonly k: number;
  readonly folds: readonly HoldoutFold[];
  /** Every pick, scored by the fold that held it out, in frame order. */
  readonly perFrame: readonly HoldoutFrameScore[];
  readonly meanIoU: number;
  /** Spread of the IoU over the held-out frames (population standard deviation). */
  readonly stdIoU: number;
  readonly minIoU: number;
  readonly meanPSNR: number;
  readonly stdPSNR: number;
  readonly meanSSIM: number;
  readonly stdSSIM: number;
  readonly meanL1: number;
  /** Per-metric summaries over the held-out frames. */
  readonly summaries: { readonly iou: Summary; readonly psnr: Summary; readonly ssim: Summary; readonly l1: Summary };
  /** Wall time of the whole validation. */
  readonly seconds: number;
}
