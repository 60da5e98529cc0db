import { loadBinding } from '../gan/binding';
import { EngineError } from '../pipeline/errors';
import { expectNumber, expectOneOf } from '../pipeline/validate';
import { checkPlane, checkSameSize, type FlowField, type Plane } from './plane';

/**
 * DIS presets, fastest first: OpenCV's three, and `fine`, its `medium` carried on to the frames' full
 * resolution (`medium` stops at half size and upsamples its flow): about 2.5 times `medium`'s time, and
 * it follows thin, fast subjects better (docs/QUALITY.md, session 20).
 */
export const FLOW_PRESETS = ['ultrafast', 'fast', 'medium', 'fine'] as const;

/** Options of {@link computeFlow}. */
export interface FlowOptions {
  /**
   * OpenCV's DIS preset (default `'medium'`: the quality issue 11 measured propagation with; see
   * https://docs.opencv.org/4.6.0/da/d06/classcv_1_1DISOpticalFlow.html).
   */
  readonly preset?: (typeof FLOW_PRESETS)[number];
  /**
   * Shrink both frames by this factor before DIS, then scale the flow back up (default 1: full size).
   * 0.5 is about 4 times faster; what it costs in accuracy is in bench/propagate-alpha.ts.
   */
  readonly scale?: number;
}

/**
 * Dense optical flow between two grey frames with OpenCV's DIS (Dense Inverse Search), run on
 * libuv's thread pool: for a pixel x of `prev`, x + flow(x) is where it lies in `next`. So
 * `warpPlane(planeOfNext, computeFlow(prev, next))` carries a plane of `next` into `prev`'s geometry.
 *
 * @example
 * const flow = await computeFlow(greyPlane(frameB), greyPlane(frameA)); // to carry A's alpha onto B
 * const alphaB = await warpPlane(alphaA, flow);
 * @throws {InvalidOptionError} for planes of other sizes or a bad preset or scale.
 * Rejects with {@link EngineError} when OpenCV fails, or {@link EngineLoadError} when the addon is missing.
 */
export async function computeFlow(prev: Plane, next: Plane, options: FlowOptions = {}): Promise<FlowField> {
  checkPlane('computeFlow prev', prev);
  checkPlane('computeFlow next', next);
  checkSameSize('computeFlow', prev, next);
  const preset = expectOneOf('flow.preset', options.preset ?? 'medium', FLOW_PRESETS);
  const scale = expectNumber('flow.scale', options.scale ?? 1, 0.05, 1);
  const native = loadBinding();
  try {
    const data = await native.computeFlow(prev.data, next.data, prev.width, prev.height, FLOW_PRESETS.indexOf(preset), scale);
    return { width: prev.width, height: prev.height, data };
  } catch (error) {
    throw new EngineError(`Optical flow failed on ${prev.width}x${prev.height} frames: ${(error as Error).message}`, { cause: error });
  }
}
