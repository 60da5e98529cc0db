import { boxMeanAbsDifference } from './box-mean';
import { computeFlow, type FlowOptions } from './compute-flow';
import { cutThresholds, histogramDistance, isHardCut, meanAbsDifference } from './detect-cut';
import { checkSameSize, type Plane } from './plane';
import { warpPlane } from './warp-plane';

/**
 * Planes of frame `home` carried by optical flow onto frame `away` and back again: what propagation
 * does to them over the frames between, on a frame whose truth is known. A pick's own edit taken on
 * such a round trip is a guide with the errors a frame near the pick gets in the stream, where the
 * other picks' leave-one-out guide has the errors of a frame far from any pick (approximately: one
 * flow each way over the whole distance, where the stream's long videos chain frame to frame).
 * Beside the planes, `mismatch`: how far the pick's grey, taken on the same round trip, differs from
 * itself around each pixel (7x7 mean absolute difference), as the stream's propagation judges a carried
 * picture against the frame (`doubtWhereMismatched` in ./doubt reads it).
 * Undefined when the two frames look like two shots: the cut test {@link AlphaPropagator} applies
 * between consecutive frames, here between these two (a fast motion over a long distance can fail it;
 * a cut and a return to the same shot between them passes).
 *
 * @example
 * const trip = await roundTrip([editAlpha, editVeto], pickGrey, greyThreeFramesOn);
 * if (trip) [alpha, veto] = trip.planes;
 * @throws {InvalidOptionError} for planes of other sizes than the frames.
 * Rejects with {@link EngineError} when the flow fails.
 */
export async function roundTrip(
  planes: readonly Uint8Array[],
  home: Plane,
  away: Plane,
  flow?: FlowOptions,
): Promise<{ planes: Uint8Array[]; mismatch: Uint8Array } | undefined> {
  checkSameSize('roundTrip', home, away);
  const { width, height } = home;
  // x in `away` lies at x + there(x) in `home`: pulls home's planes onto away; `back` the other way.
  const [there, back] = await Promise.all([computeFlow(away, home, flow), computeFlow(home, away, flow)]);
  const residual = meanAbsDifference(await warpPlane(home, there), away);
  if (isHardCut({ histogramDistance: histogramDistance(home, away), flowResidual: residual }, cutThresholds())) return undefined;
  const [grey, ...carried] = await Promise.all(
    [home.data, ...planes].map(async (data) => {
      const moved = await warpPlane({ width, height, data }, there);
      return (await warpPlane(moved, back)).data;
    }),
  );
  return { planes: carried, mismatch: Uint8Array.from(boxMeanAbsDifference(grey!, home.data, width, height, 3), Math.round) };
}
