import { InvalidOptionError } from '../pipeline/errors';
import { expectInteger, expectOptionalBoolean } from '../pipeline/validate';
import { blendByDistance, blendWithMismatch, type AlphaEstimate } from './blend-by-distance';
import { doubtWhereMismatched } from './doubt';
import { judgeCarried, refineFromPick, stepCarried, type CarriedAlpha, type PickPlanes } from './carry-alpha';
import { computeFlow, type FlowOptions } from './compute-flow';
import { cutThresholds, histogramDistance, isHardCut, meanAbsDifference, type CutOptions, type CutThresholds } from './detect-cut';
import { checkPlane, type FlowField, type Plane } from './plane';
import { warpPlane } from './warp-plane';

/** Where a propagated alpha came from. */
export type AlphaSource = 'pick' | 'forward' | 'backward' | 'both' | 'none';

/** The alpha of one frame, carried there from the picks. */
export interface PropagatedAlpha {
  readonly index: number;
  /**
   * `width * height` bytes, 255 = kept subject; {@link NO_DATA_ALPHA} (128) everywhere when `source` is
   * `'none'`. A carried estimate is pulled toward 128 where its carried picture mismatches the frame
   * ({@link doubtWhereMismatched}; not with `doubt: false`); a pick's own edit is as it was drawn.
   */
  readonly alpha: Uint8Array;
  /** `'pick'`: the frame's own edit; `'both'`: a blend of the previous and the next pick's; `'none'`: no pick reaches it. */
  readonly source: AlphaSource;
  /** A hard cut lies between this frame and the one before it. */
  readonly cutBefore: boolean;
  /**
   * With {@link AlphaPropagatorOptions.vetoes}: the picks' vetoes carried here the same way (a pick's
   * own on the pick), blended by the same weights; 0 where no pick reaches.
   */
  readonly veto?: Uint8Array;
}

/** What one {@link AlphaPropagator.push} (or `finish`) settled: frames in index order, and picks' leave-one-out alphas. */
export interface PropagationOutput {
  readonly frames: PropagatedAlpha[];
  /** For a pick, the alpha carried to it from the OTHER picks (never its own edit): what training should show the generator. */
  readonly leaveOneOut: PropagatedAlpha[];
}

/** Options of {@link AlphaPropagator}. */
export interface AlphaPropagatorOptions {
  readonly width: number;
  readonly height: number;
  /** The alpha (`width * height` bytes, 255 = kept) of each edited frame, by frame index. */
  readonly picks: ReadonlyMap<number, Uint8Array>;
  /**
   * The most frames held back while waiting for the next pick (default 150: 15 s at 10 fps; each held
   * frame keeps a grey plane, an alpha plane and its mismatch, and a veto plane with `vetoes`: 3 or 4
   * bytes a pixel, 72 or 96 MB at 400x400). A frame more
   * than this many frames before its next pick gets the forward-propagated alpha only.
   */
  readonly maxHeldFrames?: number;
  /** DIS settings (default preset medium, full size). */
  readonly flow?: FlowOptions;
  /**
   * Also warp each pick straight onto every frame by one flow and keep, pixel by pixel, whichever of
   * that and the frame-to-frame chain matches the frame better ({@link refineFromPick}). Default false:
   * it doubles the flows (four a frame instead of two) for +0.05 IoU on the DAVIS clips (docs/PROPAGATION.md).
   */
  readonly direct?: boolean;
  /** Hard-cut thresholds. */
  readonly cut?: CutOptions;
  /**
   * A second plane of each pick (`width * height` bytes; every pick or none) carried along the same
   * flows as its alpha and reported as {@link PropagatedAlpha.veto}. The guide kit passes where each
   * edit erased what the person prior marks (`src/guides/prior-veto.ts`).
   */
  readonly vetoes?: ReadonlyMap<number, Uint8Array>;
  /**
   * Pull each carried alpha toward "unknown" where the picture carried with it mismatches the frame
   * ({@link doubtWhereMismatched}). Default true: the flow guide then says less where the flow lost the
   * subject (docs/PROPAGATION.md). Vetoes are never pulled.
   */
  readonly doubt?: boolean;
}

/** One carried estimate: the alpha (and veto) and how far it travelled. */
interface Estimate extends AlphaEstimate {
  readonly veto?: Uint8Array;
}

/**
 * Flows computed ahead, at most: of the forward flows of frames announced with `ahead`, and
 * separately of the backward flows of a pick's walk back (so up to four at once while a pick walks
 * back, five with `direct`). Two keep both cores of the development machine busy while the main
 * thread warps and blends (one flow at a time left a core idle: the leave-one-out pass of the
 * published scenario took 27.9 s, 25.9 s with these).
 */
const FLOWS_AT_ONCE = 2;

interface HeldFrame {
  readonly index: number;
  readonly grey: Plane;
  /** The alpha carried forward from the previous pick (for a pick: its arrival, before the pick's own edit replaced it). */
  readonly forward?: Estimate;
  readonly isPick: boolean;
  readonly cutBefore: boolean;
}

/**
 * Carries the alpha of the edited frames (picks) to every frame of a stream by dense optical flow,
 * frame to frame: forward from the previous pick and backward from the next one, blended by temporal
 * distance and, pixel by pixel, by how well each one's carried picture matches the frame
 * ({@link blendByDistance}). Frames are pushed in index order; results come out in index
 * order as soon as they are known.
 *
 * Memory stays flat whatever the video length: the backward pass needs the frames between two picks,
 * and only those within `maxHeldFrames` of the next pick are held (grey plane, forward alpha and its mismatch);
 * earlier ones are emitted at once with the forward alpha alone. A hard cut ({@link isHardCut})
 * stops both directions: frames after it with no pick on their side get `source: 'none'`.
 *
 * For each pick, {@link PropagationOutput.leaveOneOut} also gives the alpha propagated from the other
 * picks, so the generator can be trained to correct propagation's errors.
 *
 * @example
 * const propagator = new AlphaPropagator({ width: 400, height: 400, picks });
 * for (const f of frames) emit((await propagator.push(f.index, greyPlane(f.data, 400, 400))).frames);
 * emit((await propagator.finish()).frames);
 * @throws {InvalidOptionError} for a bad size, cap, threshold or switch, or a pick alpha of the wrong size.
 */
export class AlphaPropagator {
  private readonly size: number;
  private readonly pickIndices: number[];
  private readonly maxHeld: number;
  private readonly thresholds: CutThresholds;
  private readonly direct: boolean;
  private readonly doubt: boolean;
  private nextPickAt = 0;
  private previous?: { index: number; grey: Plane };
  private forward?: { carried: CarriedAlpha; pick: PickPlanes; from: number };
  private held: HeldFrame[] = [];
  private peak = 0;
  private busy = false;
  /** Frames announced by {@link ahead} whose forward flow has not started yet, with the grey before each. */
  private announced: Array<{ index: number; grey: Plane; before: Plane }> = [];
  private lastAnnounced?: { index: number; grey: Plane };
  private readonly flowsAhead = new Map<number, { grey: Plane; before: Plane; flow: Promise<FlowField> }>();

  constructor(private readonly options: AlphaPropagatorOptions) {
    const width = expectInteger('width', options.width, 1, 16384);
    const height = expectInteger('height', options.height, 1, 16384);
    this.size = width * height;
    this.maxHeld = expectInteger('maxHeldFrames', options.maxHeldFrames ?? 150, 1, 100_000);
    this.thresholds = cutThresholds(options.cut);
    this.direct = expectOptionalBoolean('direct', options.direct, false);
    this.doubt = expectOptionalBoolean('doubt', options.doubt, true);
    const checkSize = (what: string, index: number, plane: Uint8Array | undefined) => {
      if (Object.prototype.toString.call(plane) !== '[object Uint8Array]' || plane?.length !== this.size) {
        throw new InvalidOptionError(
          `Expected ${this.size} bytes (${width}x${height}) for the ${what} of pick ${index} but received ${plane?.length}; ` +
            'make the pick masks at the size the frames are decoded at.',
        );
      }
    };
    for (const [index, alpha] of options.picks) {
      expectInteger('pick index', index, 0, Number.MAX_SAFE_INTEGER);
      checkSize('alpha', index, alpha);
      if (options.vetoes && !options.vetoes.has(index)) {
        throw new InvalidOptionError(`Expected a veto for every pick but pick ${index} has none; give vetoes for all picks or for none.`);
      }
      if (options.vetoes) checkSize('veto', index, options.vetoes.get(index));
    }
    this.pickIndices = [...options.picks.keys()].sort((a, b) => a - b);
  }

  /** Frames held now, waiting for the next pick's backward pass. */
  get heldFrames(): number {
    return this.held.length;
  }

  /** The most frames held at once so far; never above `maxHeldFrames`. */
  get peakHeldFrames(): number {
    return this.peak;
  }

  /**
   * Announces a frame that will be pushed later (in order, the same grey plane), so that its forward
   * flow can be computed while earlier frames are still being pushed (at most {@link FLOWS_AT_ONCE}
   * at once). Optional: a frame pushed unannounced gets its flow then. A frame out of sequence is
   * ignored (its flow is computed when it is pushed).
   */
  ahead(index: number, grey: Plane): void {
    const last = this.lastAnnounced;
    this.lastAnnounced = { index, grey };
    if (last === undefined || index !== last.index + 1 || grey.width !== last.grey.width || grey.height !== last.grey.height) return;
    this.announced.push({ index, grey, before: last.grey });
    this.startFlowsAhead();
  }

  private startFlowsAhead(): void {
    while (this.flowsAhead.size < FLOWS_AT_ONCE && this.announced.length > 0) {
      const { index, grey, before } = this.announced.shift()!;
      const flow = computeFlow(grey, before, this.options.flow);
      flow.catch(() => undefined);
      this.flowsAhead.set(index, { grey, before, flow });
    }
  }

  /** The forward flow of frame `index` (x in it lies at x + flow(x) in `prev`): computed ahead, or now. */
  private forwardFlow(index: number, grey: Plane, prev: Plane): Promise<FlowField> {
    const ahead = this.flowsAhead.get(index);
    // Flows announced for frames never pushed would hold the slots: drop every one up to this frame.
    for (const key of [...this.flowsAhead.keys()]) if (key <= index) this.flowsAhead.delete(key);
    this.announced = this.announced.filter((a) => a.index > index);
    this.startFlowsAhead();
    // A flow computed ahead for other planes than the ones pushed (a caller's mistake) is not used.
    return ahead !== undefined && ahead.grey === grey && ahead.before === prev ? ahead.flow : computeFlow(grey, prev, this.options.flow);
  }

  /**
   * Adds the next frame (index one above the last, any start) as a grey plane.
   *
   * @throws {InvalidOptionError} for a plane of another size, an index out of sequence, or a call while the previous one runs.
   * Rejects with {@link EngineError} when the flow fails.
   */
  async push(index: number, grey: Plane): Promise<PropagationOutput> {
    checkPlane('AlphaPropagator.push grey', grey);
    if (grey.width !== this.options.width || grey.height !== this.options.height) {
      throw new InvalidOptionError(
        `Expected ${this.options.width}x${this.options.height} frames for AlphaPropagator but frame ${index} is ${grey.width}x${grey.height}.`,
      );
    }
    if (this.previous !== undefined && index !== this.previous.index + 1) {
      throw new InvalidOptionError(`Expected frame ${this.previous.index + 1} next in AlphaPropagator but received frame ${index}; push every frame in order.`);
    }
    if (this.busy) throw new InvalidOptionError('AlphaPropagator.push was called before the previous push settled; await each push.');
    this.busy = true;
    try {
      return await this.advance(index, grey);
    } finally {
      this.busy = false;
    }
  }

  /** Settles the frames still held (their next pick never came): forward alpha only. */
  async finish(): Promise<PropagationOutput> {
    const out: PropagationOutput = { frames: [], leaveOneOut: [] };
    this.release(out);
    return out;
  }

  private async advance(index: number, grey: Plane): Promise<PropagationOutput> {
    const out: PropagationOutput = { frames: [], leaveOneOut: [] };
    let cutBefore = false;
    if (this.previous !== undefined) {
      const prev = this.previous.grey;
      // x in this frame lies at x + flow(x) in the previous one: pulls the previous alpha forward.
      const flow = await this.forwardFlow(index, grey, prev);
      const hist = histogramDistance(prev, grey);
      const residual = hist > this.thresholds.histogramDistance ? Infinity : meanAbsDifference((await warpPlane(prev, flow)), grey);
      cutBefore = isHardCut({ histogramDistance: hist, flowResidual: residual }, this.thresholds);
      if (cutBefore) {
        this.release(out);
        this.forward = undefined;
      } else if (this.forward !== undefined) {
        const moved = await this.carry(this.forward.carried, flow, this.forward.pick, grey);
        this.forward = { ...this.forward, carried: moved };
      }
    }
    this.previous = { index, grey };
    while (this.nextPickAt < this.pickIndices.length && this.pickIndices[this.nextPickAt]! < index) this.nextPickAt++;
    const edit = this.options.picks.get(index);
    const arrival: Estimate | undefined = this.forward && { alpha: this.forward.carried.alpha, veto: this.forward.carried.veto, mismatch: this.forward.carried.mismatch, distance: index - this.forward.from };
    if (edit !== undefined) {
      const veto = this.options.vetoes?.get(index);
      await this.backwardFrom(index, grey, edit, veto, out);
      out.frames.push({ index, alpha: edit, source: 'pick', cutBefore, ...(veto ? { veto } : {}) });
      this.forward = { carried: this.startCarrying(edit, grey, veto), pick: { alpha: edit, grey, veto }, from: index };
      this.nextPickAt++;
    }
    const nextPick = this.pickIndices[this.nextPickAt];
    const holdable = nextPick !== undefined && nextPick - index <= this.maxHeld;
    if (holdable) {
      this.held.push({ index, grey, forward: arrival, isPick: edit !== undefined, cutBefore });
      this.peak = Math.max(this.peak, this.held.length);
    } else if (edit !== undefined) {
      out.leaveOneOut.push(this.settle(index, arrival, undefined, cutBefore));
    } else {
      out.frames.push(this.settle(index, arrival, undefined, cutBefore));
    }
    return out;
  }

  /** Carries `edit` of pick `pick` back through the held frames, blends, and emits them. */
  private async backwardFrom(pick: number, pickGrey: Plane, edit: Uint8Array, veto: Uint8Array | undefined, out: PropagationOutput): Promise<void> {
    const held = this.held;
    this.held = [];
    const results: PropagatedAlpha[] = new Array(held.length);
    // x in a held frame lies at x + flow(x) in the frame after it. The next flows are computed while this warp runs.
    const flowAt = (k: number) => {
      const pending = computeFlow(held[k]!.grey, k + 1 < held.length ? held[k + 1]!.grey : pickGrey, this.options.flow);
      pending.catch(() => undefined);
      return pending;
    };
    let carried = this.startCarrying(edit, pickGrey, veto);
    const flows: Array<Promise<FlowField>> = [];
    let nextToStart = held.length - 1;
    const startFlows = () => {
      while (flows.length < FLOWS_AT_ONCE && nextToStart >= 0) flows.push(flowAt(nextToStart--));
    };
    startFlows();
    for (let k = held.length - 1; k >= 0; k--) {
      const flow = await flows.shift()!;
      startFlows();
      const frame = held[k]!;
      carried = await this.carry(carried, flow, { alpha: edit, grey: pickGrey, veto }, frame.grey);
      results[k] = this.settle(frame.index, frame.forward, { alpha: carried.alpha, veto: carried.veto, mismatch: carried.mismatch, distance: pick - frame.index }, frame.cutBefore);
    }
    held.forEach((frame, k) => (frame.isPick ? out.leaveOneOut : out.frames).push(results[k]!));
  }

  /** Emits the held frames with what they have (forward alpha only): a cut or the end came before their pick. */
  private release(out: PropagationOutput): void {
    for (const frame of this.held) {
      (frame.isPick ? out.leaveOneOut : out.frames).push(this.settle(frame.index, frame.forward, undefined, frame.cutBefore));
    }
    this.held = [];
  }

  /** A pick's alpha (and veto) at the start of its carrying; its grey travels along to be judged against the frames. */
  private startCarrying(alpha: Uint8Array, grey: Plane, veto: Uint8Array | undefined): CarriedAlpha {
    return { alpha, grey: grey.data, ...(veto ? { veto } : {}) };
  }

  /** One step of a pick's carrying by `flow` onto `frame`; with `direct`, also straight from the pick. */
  private async carry(carried: CarriedAlpha, flow: FlowField, pick: PickPlanes, frame: Plane): Promise<CarriedAlpha> {
    const moved = await stepCarried(carried, flow);
    return this.direct ? refineFromPick(moved, pick, frame, this.options.flow) : judgeCarried(moved, frame);
  }

  private settle(index: number, forward: Estimate | undefined, backward: Estimate | undefined, cutBefore: boolean): PropagatedAlpha {
    const source: AlphaSource = forward && backward ? 'both' : forward ? 'forward' : backward ? 'backward' : 'none';
    const blended = blendWithMismatch(forward, backward, this.size);
    const alpha = this.doubt ? doubtWhereMismatched(blended.alpha, blended.mismatch) : blended.alpha;
    const settled = { index, alpha, source, cutBefore };
    if (!this.options.vetoes) return settled;
    const vetoOf = (e: Estimate | undefined) => e && { alpha: e.veto!, distance: e.distance, mismatch: e.mismatch };
    const veto = forward || backward ? blendByDistance(vetoOf(forward), vetoOf(backward), this.size) : new Uint8Array(this.size);
    return { ...settled, veto };
  }
}
