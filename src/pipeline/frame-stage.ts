import type { OperatorFunction } from 'rxjs';
import type { Frame } from './frame';

/**
 * The stage contract: an RxJS operator from frames to frames. Stages keep frame order and never
 * mutate a frame (they return new ones with `withPixels`).
 *
 * @example
 * const invert: FrameStage = map((f) => withPixels(f, f.data.map((v) => 255 - v)));
 */
export type FrameStage = OperatorFunction<Frame, Frame>;
