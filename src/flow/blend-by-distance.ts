/** Alpha of a frame no propagation reaches (no pick on its side of a cut): "unknown", half way. */
export const NO_DATA_ALPHA = 128;

/** One propagated estimate of a frame's alpha and how many frames it travelled from its pick. */
export interface AlphaEstimate {
  readonly alpha: Uint8Array;
  readonly distance: number;
  /** How far the estimate's carried picture differs from the frame around each pixel (grey levels), when known. */
  readonly mismatch?: Uint8Array;
}

/**
 * The mismatch (grey levels) at which an estimate's weight falls to 1/e of its distance weight
 * ({@link blendByDistance}), and the floor that keeps the distance weights where both mismatch.
 * Measured on the davis-dev clips (docs/PROPAGATION.md): 20 and 0.01 of the 10-30 and 1e-6-0.1 tried.
 */
export const MISMATCH_SCALE = 20;
const MISMATCH_FLOOR = 0.01;

/**
 * Blends the alpha carried forward from the previous pick with the one carried backward from the
 * next pick, each weighted by the other's distance (linear in time, as issue 11 measured: a frame 2
 * frames after one pick and 8 before the next takes 80% of the first). When both estimates know their
 * mismatch with the frame, each pixel's two weights are also scaled by
 * exp(-(mismatch / {@link MISMATCH_SCALE})^2) + 0.01: the one whose carried picture matches the frame
 * there counts more. With one estimate, that one; with none, a plane of {@link NO_DATA_ALPHA}.
 *
 * @example
 * blendByDistance({ alpha: a, distance: 2 }, { alpha: b, distance: 8 }, 160000); // 0.8 a + 0.2 b
 * blendByDistance({ alpha: a, distance: 2, mismatch: m }, { alpha: b, distance: 8, mismatch: n }, 160000); // per pixel
 */
export function blendByDistance(forward: AlphaEstimate | undefined, backward: AlphaEstimate | undefined, size: number): Uint8Array {
  return blend(forward, backward, size, false).alpha;
}

/**
 * {@link blendByDistance}, and the mismatch of the blend in the same pass: the two sides' mismatches
 * weighted as their alphas are (one estimate's own with one; undefined when a side lacks it). What
 * `doubtWhereMismatched` reads.
 *
 * @example const { alpha, mismatch } = blendWithMismatch(forward, backward, 160000);
 */
export function blendWithMismatch(forward: AlphaEstimate | undefined, backward: AlphaEstimate | undefined, size: number): { alpha: Uint8Array; mismatch?: Uint8Array } {
  return blend(forward, backward, size, true);
}

function blend(forward: AlphaEstimate | undefined, backward: AlphaEstimate | undefined, size: number, withMismatch: boolean): { alpha: Uint8Array; mismatch?: Uint8Array } {
  if (forward && backward) {
    const total = forward.distance + backward.distance;
    const wf = total === 0 ? 0.5 : backward.distance / total;
    const out = new Uint8Array(size);
    const fa = forward.alpha;
    const ba = backward.alpha;
    const fm = forward.mismatch;
    const bm = backward.mismatch;
    if (fm === undefined || bm === undefined) {
      for (let i = 0; i < size; i++) out[i] = Math.round(wf * fa[i]! + (1 - wf) * ba[i]!);
      return { alpha: out };
    }
    const trust = mismatchTrust();
    const mismatch = withMismatch ? new Uint8Array(size) : undefined;
    for (let i = 0; i < size; i++) {
      const f = wf * trust[fm[i]!]!;
      const b = (1 - wf) * trust[bm[i]!]!;
      out[i] = Math.round((f * fa[i]! + b * ba[i]!) / (f + b));
      if (mismatch) mismatch[i] = Math.round((f * fm[i]! + b * bm[i]!) / (f + b));
    }
    return { alpha: out, ...(mismatch ? { mismatch } : {}) };
  }
  const one = forward ?? backward;
  if (one) return { alpha: one.alpha, ...(withMismatch && one.mismatch ? { mismatch: one.mismatch } : {}) };
  return { alpha: new Uint8Array(size).fill(NO_DATA_ALPHA) };
}

let trustTable: Float64Array | undefined;
/** exp(-(m / MISMATCH_SCALE)^2) + MISMATCH_FLOOR for every mismatch m of 0 … 255. */
function mismatchTrust(): Float64Array {
  trustTable ??= Float64Array.from({ length: 256 }, (_, m) => Math.exp(-((m / MISMATCH_SCALE) ** 2)) + MISMATCH_FLOOR);
  return trustTable;
}
