import { loadBinding } from '../gan/binding';
import { EngineError, InvalidOptionError } from '../pipeline/errors';
import { checkPlane, checkSameSize, type FlowField, type Plane } from './plane';

/**
 * Samples `plane` at x + flow(x) for every pixel x (bilinear, borders replicated; OpenCV's remap),
 * off the JS thread. With `flow = computeFlow(a, b)` it moves a plane of frame b onto frame a.
 *
 * @example
 * const alphaNow = await warpPlane(alphaBefore, await computeFlow(greyNow, greyBefore));
 * @throws {InvalidOptionError} when the plane and the flow differ in size or the flow has the wrong length.
 * Rejects with {@link EngineError} when OpenCV fails.
 */
export async function warpPlane(plane: Plane, flow: FlowField): Promise<Plane> {
  checkPlane('warpPlane plane', plane);
  checkSameSize('warpPlane', plane, flow);
  // A tag test, not instanceof: arrays the addon makes come from the main realm (jest runs tests in another).
  if (Object.prototype.toString.call(flow.data) !== '[object Float32Array]' || flow.data.length !== plane.width * plane.height * 2) {
    throw new InvalidOptionError(
      `Expected ${plane.width * plane.height * 2} floats (${plane.width}x${plane.height}x2) for warpPlane flow but received ${flow.data.length}.`,
    );
  }
  const native = loadBinding();
  try {
    const data = await native.warpPlane(plane.data, flow.data, plane.width, plane.height);
    return { width: plane.width, height: plane.height, data };
  } catch (error) {
    throw new EngineError(`Warping a ${plane.width}x${plane.height} plane failed: ${(error as Error).message}`, { cause: error });
  }
}
