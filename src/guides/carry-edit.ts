import { maskIoU } from '../eval/mask-iou';
import { nonWhiteMask } from '../eval/non-white-mask';
import { computeFlow, type FlowOptions } from '../flow/compute-flow';
import { cutThresholds, histogramDistance, isHardCut, meanAbsDifference } from '../flow/detect-cut';
import { checkSameSize, type Plane } from '../flow/plane';
import { warpPlane } from '../flow/warp-plane';

/**
 * Pixels whose flow to the pick and the pick's flow back disagree by more than this many pixels (plus a
 * tenth of the motion) were hidden in the pick: they have no say in training ({@link carryEdit}'s
 * `weights`). Chosen on people-1 over bmx-trees and scooter-black at 2, 4 and 10 px (docs/QUALITY.md,
 * session 14).
 */
export const HIDDEN_TOLERANCE = 4;

/** What {@link carryEdit} makes of a pick's edit on a frame near it. */
export interface CarriedEdit {
  /** The frame's edited picture as the pick's edit, carried by optical flow, says it (RGB24). */
  readonly target: Uint8Array;
  /** The extra planes, carried the same way. */
  readonly planes: Uint8Array[];
  /**
   * Each pixel's say in training: 0 where the flow there and the flow back disagree (the pixel was hidden
   * in the pick: background coming into view beside a moving subject, which the flow carries from the
   * subject), else 255.
   */
  readonly weights: Uint8Array;
  /** How well the edit's matte survives the trip there and back: IoU of it against the pick's own (0-1). */
  readonly agreement: number;
}

/**
 * A pick's edit carried by optical flow onto a frame near it: a training pair's target for a frame
 * nobody edited. Where the carried edit is background (its matte under 128) the target is the edited
 * picture carried (white stays white, a replaced background carries); where it is the subject, the
 * frame's own picture plus the change the edit made there (levels carry; the subject keeps this
 * frame's detail rather than a resampled copy of the pick's). `planes` (the pick's guides) are
 * carried alike. `weights` leaves out what the pick did not show; `agreement` says how far to trust
 * the rest: the matte carried there and back again, against the pick's own matte (a thin subject the
 * flow loses scores low). Undefined when the two frames look like two shots (the cut test of
 * `roundTrip` in `flow/round-trip.ts`).
 *
 * @example
 * const carried = await carryEdit({ frame: pickRgb, edit: editRgb, grey: pickGrey }, { frame: nextRgb, grey: nextGrey }, [farGuide]);
 * @throws {InvalidOptionError} for frames or planes of other sizes.
 * Rejects with {@link EngineError} when the flow fails.
 */
export async function carryEdit(
  pick: { readonly frame: Uint8Array; readonly edit: Uint8Array; readonly grey: Plane },
  near: { readonly frame: Uint8Array; readonly grey: Plane },
  planes: readonly Uint8Array[],
  flow?: FlowOptions,
): Promise<CarriedEdit | undefined> {
  checkSameSize('carryEdit', pick.grey, near.grey);
  const { width, height } = pick.grey;
  const n = width * height;
  // x in `near` lies at x + there(x) in the pick: pulls the pick's planes onto the near frame.
  const [there, back] = await Promise.all([computeFlow(near.grey, pick.grey, flow), computeFlow(pick.grey, near.grey, flow)]);
  const residual = meanAbsDifference(await warpPlane(pick.grey, there), near.grey);
  if (isHardCut({ histogramDistance: histogramDistance(pick.grey, near.grey), flowResidual: residual }, cutThresholds())) return undefined;
  const matte = nonWhiteMask(pick.edit, width, height);
  const sources = [matte, ...channels(pick.edit, n), ...channels(pick.frame, n), ...planes];
  const moved = await Promise.all(sources.map(async (data) => (await warpPlane({ width, height, data }, there)).data));
  const [carriedMatte, e0, e1, e2, f0, f1, f2, ...carriedPlanes] = moved as [Uint8Array, ...Uint8Array[]];
  const home = (await warpPlane({ width, height, data: carriedMatte }, back)).data;
  const edit = [e0!, e1!, e2!];
  const frame = [f0!, f1!, f2!];
  const target = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const subject = carriedMatte[i]! >= 128;
    for (let c = 0; c < 3; c++) {
      const e = edit[c]![i]!;
      target[i * 3 + c] = subject ? clampByte(near.frame[i * 3 + c]! + e - frame[c]![i]!) : e;
    }
  }
  return { target, planes: carriedPlanes, weights: shownInPick(there.data, back.data, width, height), agreement: maskIoU(home, matte) };
}

/**
 * 255 where the flow from the near frame to the pick (`there`) and the flow back agree, 0 where they
 * disagree by more than {@link HIDDEN_TOLERANCE} px plus a tenth of the motion: x lands at
 * y = x + there(x) in the pick, and y + back(y) should be x again.
 */
export function shownInPick(there: Float32Array, back: Float32Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const dx = there[2 * i]!, dy = there[2 * i + 1]!;
      const [bx, by] = sampleFlow(back, width, height, x + dx, y + dy);
      out[i] = Math.hypot(dx + bx, dy + by) > HIDDEN_TOLERANCE + 0.1 * Math.hypot(dx, dy) ? 0 : 255;
    }
  }
  return out;
}

/** Bilinear sample of a 2-channel flow at (x, y), borders replicated. */
function sampleFlow(flow: Float32Array, width: number, height: number, x: number, y: number): [number, number] {
  const cx = Math.min(Math.max(x, 0), width - 1), cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx), y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1), y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0, fy = cy - y0;
  const at = (xx: number, yy: number, c: number) => flow[2 * (yy * width + xx) + c]!;
  const lerp = (c: number) => (at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx) * (1 - fy) + (at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx) * fy;
  return [lerp(0), lerp(1)];
}

function channels(rgb: Uint8Array, n: number): Uint8Array[] {
  const out = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c]![i] = rgb[i * 3 + c]!;
  return out;
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}
