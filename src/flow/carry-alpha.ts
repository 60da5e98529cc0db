import { boxMeanAbsDifference } from './box-mean';
import { computeFlow, type FlowOptions } from './compute-flow';
import type { FlowField, Plane } from './plane';
import { warpPlane } from './warp-plane';

/**
 * An alpha carried from a pick and, when judged against the frames, the pick's grey carried the same
 * way; `veto`, when the pick has one, is a second plane that travels along the same flows (the guide
 * kit's: where the pick's edit erased what the person prior marks, `src/guides/prior-veto.ts`).
 */
export interface CarriedAlpha {
  readonly alpha: Uint8Array;
  readonly grey?: Uint8Array;
  readonly veto?: Uint8Array;
  /**
   * How far the carried grey differs from the frame around each pixel (7x7 mean absolute difference,
   * grey levels, at most 255), set by {@link refineFromPick} or {@link judgeCarried}: how much to trust this estimate there.
   */
  readonly mismatch?: Uint8Array;
}

/** A pick as the carrying starts from it. */
export interface PickPlanes {
  readonly alpha: Uint8Array;
  readonly grey: Plane;
  readonly veto?: Uint8Array;
}

/**
 * Moves a carried alpha (and its grey and veto, when there are) one frame on by `flow`.
 *
 * @example
 * const next = await stepCarried({ alpha, grey }, await computeFlow(greyNow, greyBefore));
 */
export async function stepCarried(carried: CarriedAlpha, flow: FlowField): Promise<CarriedAlpha> {
  const { width, height } = flow;
  const [alpha, grey, veto] = await Promise.all([
    warpPlane({ width, height, data: carried.alpha }, flow),
    carried.grey && warpPlane({ width, height, data: carried.grey }, flow),
    carried.veto && warpPlane({ width, height, data: carried.veto }, flow),
  ]);
  return { alpha: alpha.data, grey: grey?.data, veto: veto?.data };
}

/**
 * Also warps the pick straight onto the frame by one flow (no chain), and keeps, pixel by pixel, the
 * estimate whose carried grey matches the frame better (mean absolute difference over a 7x7 box).
 * Chained flow drifts at each step; direct flow fails where the motion since the pick is beyond DIS's
 * reach: the frame itself says which one to trust (docs/PROPAGATION.md has the figures).
 *
 * @example
 * carried = await refineFromPick(await stepCarried(carried, flow), { alpha: edit, grey: pickGrey }, greyNow);
 */
export async function refineFromPick(chained: CarriedAlpha, pick: PickPlanes, frame: Plane, flow?: FlowOptions): Promise<CarriedAlpha> {
  if (chained.grey === undefined) return chained;
  const direct = await computeFlow(frame, pick.grey, flow);
  const [alpha, grey, veto] = await Promise.all([
    warpPlane({ width: frame.width, height: frame.height, data: pick.alpha }, direct),
    warpPlane(pick.grey, direct),
    pick.veto && chained.veto && warpPlane({ width: frame.width, height: frame.height, data: pick.veto }, direct),
  ]);
  const chainedError = boxMeanAbsDifference(chained.grey, frame.data, frame.width, frame.height, 3);
  const directError = boxMeanAbsDifference(grey.data, frame.data, frame.width, frame.height, 3);
  const outAlpha = new Uint8Array(chained.alpha.length);
  const outGrey = new Uint8Array(chained.alpha.length);
  const outVeto = veto && chained.veto ? new Uint8Array(chained.alpha.length) : undefined;
  const mismatch = new Uint8Array(chained.alpha.length);
  for (let i = 0; i < outAlpha.length; i++) {
    const useDirect = directError[i]! < chainedError[i]!;
    outAlpha[i] = useDirect ? alpha.data[i]! : chained.alpha[i]!;
    outGrey[i] = useDirect ? grey.data[i]! : chained.grey[i]!;
    if (outVeto) outVeto[i] = useDirect ? veto!.data[i]! : chained.veto![i]!;
    mismatch[i] = Math.round(useDirect ? directError[i]! : chainedError[i]!);
  }
  return { alpha: outAlpha, grey: outGrey, veto: outVeto, mismatch };
}

/**
 * Sets how far the carried grey now differs from the frame around each pixel ({@link CarriedAlpha.mismatch}:
 * 7x7 mean absolute difference), for a chain carried without {@link refineFromPick}.
 *
 * @example carried = judgeCarried(await stepCarried(carried, flow), greyNow);
 */
export function judgeCarried(carried: CarriedAlpha, frame: Plane): CarriedAlpha {
  if (carried.grey === undefined) return carried;
  const error = boxMeanAbsDifference(carried.grey, frame.data, frame.width, frame.height, 3);
  return { ...carried, mismatch: Uint8Array.from(error, Math.round) };
}
