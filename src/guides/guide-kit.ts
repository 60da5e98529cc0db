import { defer, from, map, switchMap, tap, type OperatorFunction } from 'rxjs';
import { nonWhiteMask } from '../eval/non-white-mask';
import type { FlowOptions } from '../flow/compute-flow';
import { FLOW_ALPHA_GUIDE, propagateAlpha } from '../flow/propagate-alpha';
import { leaveOneOutAlphas } from '../flow/leave-one-out-alphas';
import { attachStoredAlpha } from '../flow/attach-stored-alpha';
import { attachStoredPlanes } from '../flow/attach-stored-planes';
import { keepPlanes } from '../flow/keep-planes';
import { PlaneStore } from '../io/plane-store';
import { withGuide } from '../flow/with-guide';
import { greyPlane } from '../flow/grey-plane';
import type { Plane } from '../flow/plane';
import { doubtWhereMismatched } from '../flow/doubt';
import { roundTrip } from '../flow/round-trip';
import { carryEdit } from './carry-edit';
import { editMatte } from './edit-matte';
import { InvalidOptionError } from '../pipeline/errors';
import { expectInteger } from '../pipeline/validate';
import type { Frame } from '../pipeline/frame';
import type { FrameBudget } from '../pipeline/frame-budget';
import { PersonPrior } from '../prior/person-prior';
import { decodeVideo } from '../stages/decode-video';
import { PERSON_PRIOR_GUIDE, personPrior } from '../stages/person-prior';
import { collectFrames } from '../stages/collect-frames';
import { applyPriorVeto, priorVeto, vetoPrior } from './prior-veto';
import { estimatePlate, plateFor, type PlateEstimate } from '../plate/estimate-plate';
import { PLATE_DIFFERENCE_GUIDE, plateDifference } from '../plate/plate-difference';

/** The guides vidgan knows how to compute, in the order a new model takes them. */
export const KNOWN_GUIDES = [PERSON_PRIOR_GUIDE, FLOW_ALPHA_GUIDE, PLATE_DIFFERENCE_GUIDE] as const;

/**
 * The guides a drill trains with unless told otherwise, and the one whose logit the alpha head adds:
 * the person prior as a channel, and the picks' alpha carried by optical flow both as a channel and
 * as the alpha head's starting point (so the drill learns the correction). Chosen by measurement,
 * docs/QUALITY.md.
 */
export const DEFAULT_GUIDES = Object.freeze({ guides: [PERSON_PRIOR_GUIDE, FLOW_ALPHA_GUIDE] as readonly string[], alphaPriorGuide: FLOW_ALPHA_GUIDE as string | undefined });

/**
 * The optical flow the guides of a long video use: DIS `fast`. Propagation needs two flows a frame
 * (forward and backward); after training the stream reads what the training pass computed, and a
 * model applied without training computes them in the stream. On the quiet 2-core development
 * machine a 400x400 flow takes 6 ms with `fast` and 22 ms with `medium` (docs/PROPAGATION.md's 12 and
 * 49 ms were taken under a load of 6). The background plate keeps `fast` for every length.
 */
export const GUIDE_FLOW: FlowOptions = Object.freeze({ preset: 'fast' });

/** The flow of a short video's guides: DIS `medium` ({@link guideFlow}). */
export const SHORT_VIDEO_FLOW: FlowOptions = Object.freeze({ preset: 'medium' });

/**
 * Videos of at most this many sampled frames (30 s at 10 fps), and more than {@link FINE_FLOW_FRAMES},
 * get {@link SHORT_VIDEO_FLOW}: its two
 * extra 16 ms a frame cost at most about 10 s there, and it carries the edits better (held-out IoU
 * after a 150-step drill: bmx-trees 0.302 -> 0.394, scooter-black 0.802 -> 0.812, the people clips
 * within 0.002; docs/QUALITY.md). Longer videos keep `fast`, whose cost grows with them.
 */
export const SHORT_VIDEO_FRAMES = 300;

/**
 * The flow of the shortest videos' guides ({@link FINE_FLOW_FRAMES}): DIS `fine`, `medium` carried on
 * to the frames' full resolution ({@link guideFlow}).
 */
export const FINE_FLOW: FlowOptions = Object.freeze({ preset: 'fine' });

/**
 * Videos of at most this many sampled frames (15 s at 10 fps) get {@link FINE_FLOW}. The propagation
 * then takes about 2.5 times as long (180-230 ms a frame against 75-85 with `medium`, four flows a
 * frame with `direct`): at most about 20 s more, before training. It follows thin and fast subjects
 * better. After a 150-step drill 14 of the 15 interview-like clips gain (held-out IoU +0.001 to +0.005;
 * a hand raised after the picks loses 0.015 on people-0), and scooter-black / bmx-trees go from
 * 0.876 / 0.515 to 0.882 / 0.525; with a 240 s drill they are 0.890 / 0.546 against 0.886 / 0.548
 * (docs/QUALITY.md, session 20).
 */
export const FINE_FLOW_FRAMES = 150;

/**
 * The optical flow settings of the guides of a video of `frameCount` sampled frames (undefined when its
 * duration is unknown): `fine` for the shortest videos, `medium` for short ones, `fast` otherwise.
 *
 * @example guideFlow(60) // { preset: 'fine' }; guideFlow(200) // { preset: 'medium' }; guideFlow(1185) // { preset: 'fast' }
 */
export function guideFlow(frameCount: number | undefined): FlowOptions {
  if (frameCount === undefined || frameCount > SHORT_VIDEO_FRAMES) return GUIDE_FLOW;
  return frameCount <= FINE_FLOW_FRAMES ? FINE_FLOW : SHORT_VIDEO_FLOW;
}

/**
 * Whether the guides of a video of `frameCount` sampled frames also warp each pick straight onto every
 * frame and keep, pixel by pixel, whichever of that and the frame-to-frame chain matches the frame
 * better (`direct` of the propagator, src/flow/alpha-propagator.ts): yes for a short video, as {@link guideFlow}'s
 * finer flow. It doubles the flows of the propagation, which a trained run computes once, before
 * training: at most about 15 s more on a 300-frame video. It carries the edits further through large
 * motion (held-out IoU after a 150-step drill: bmx-trees 0.413 -> 0.473, scooter-black 0.838 -> 0.844;
 * docs/QUALITY.md).
 *
 * @example guideDirect(80) // true; guideDirect(1185) // false
 */
export function guideDirect(frameCount: number | undefined): boolean {
  return frameCount !== undefined && frameCount <= SHORT_VIDEO_FRAMES;
}

/**
 * How many frames away from its pick a pick's own edit travels and back to make its nearby training
 * guides ({@link GuideKit.trainingGuides}): 3, as far as the frames between picks every 10th lie on
 * average. Measured (docs/QUALITY.md, session 11).
 */
export const ROUND_TRIP_FRAMES = 3;

/**
 * How many frames on each side of a pick a drill also trains on, with the pick's edit carried onto them
 * ({@link TrainingGuides.carried}), unless the edits paint. With 2, the hidden scorer's 240 s drill on
 * scooter-black went from 0.872 to 0.886, the interview-like clips unchanged (docs/QUALITY.md,
 * session 14).
 */
export const NEIGHBOUR_FRAMES = 2;

/**
 * The round trip a drill uses when none is given: {@link ROUND_TRIP_FRAMES}, or 0 when the edits paint
 * over the picture (another person's fingers covered with the clothing): trusting the flow guide near
 * the picks, the generator kept more of an intruder the guide does not know where it enters
 * (docs/QUALITY.md, session 11).
 *
 * @example defaultRoundTrip(false) // 3
 */
export function defaultRoundTrip(editsPaint: boolean): number {
  return editsPaint ? 0 : ROUND_TRIP_FRAMES;
}

/** What {@link GuideKit.trainingGuides} gives the picks, each a list of planes in the model's guide order. */
export interface TrainingGuides {
  /** Every pick's guides from the OTHER picks: as a frame far from any pick gets them. */
  readonly planes: Map<number, Uint8Array[]>;
  /** With `roundTrip`, the picks' guides as a frame that many frames from them gets them (not every pick has them). */
  readonly nearby: Map<number, Uint8Array[]>;
  /**
   * With `neighbours` d > 0, frames d frames from a pick with the pick's edit carried onto them
   * ({@link carryEdit}) as their target, and the guides a frame far from the picks gets: more pictures
   * of the subject than the picks alone. Only those whose matte survives the trip there and back.
   */
  readonly carried: readonly CarriedPair[];
}

/** A frame near a pick, trained with the pick's edit carried onto it ({@link TrainingGuides.carried}). */
export interface CarriedPair {
  readonly index: number;
  readonly pick: number;
  readonly input: Uint8Array;
  readonly target: Uint8Array;
  readonly planes: Uint8Array[];
  readonly weights: Uint8Array;
  readonly agreement: number;
}

/** The least IoU of a pick's matte against itself carried to a neighbour and back for that neighbour to train ({@link TrainingGuides.carried}). */
export const CARRY_AGREEMENT = 0.9;

/** What the guides are computed from. */
export interface GuideSources {
  /** The video, and how it is sampled and cropped (as for decodeVideo). */
  readonly video: string;
  readonly fps: number;
  readonly crop: number;
  /** The edited frames: frame index → edited image (RGB24, crop x crop), background erased to white. */
  readonly edits: ReadonlyMap<number, Uint8Array>;
  /** Frames the video samples to, when known: a short video gets finer optical flow ({@link guideFlow}). */
  readonly frameCount?: number;
  /**
   * Lower the person prior where the edits erased what it marks, carried by the same flow as the edits
   * ({@link priorVeto}); needs `person-prior` and `flow-alpha`. Default true.
   */
  readonly priorVeto?: boolean;
  /** The picked frames, when the caller decoded them already: the prior's vetoes read these instead of decoding the picks again. */
  readonly pickFrames?: ReadonlyMap<number, Frame>;
  readonly signal?: AbortSignal;
}

/**
 * Computes the guide planes a model needs, for its training pairs and for the stream: one object that
 * owns the person prior's network while the job runs.
 *
 * - `person-prior`: MediaPipe's selfie segmentation on each frame ({@link personPrior}); with
 *   `flow-alpha` too, lowered where the edits erased what it marks (another person's hand, a
 *   bystander), those vetoes carried by the edits' flow ({@link priorVeto}); for a picked frame in
 *   training, the vetoes of the OTHER picks.
 * - `flow-alpha`: the edits' mattes (their non-white region, and white parts of the subject the edit
 *   kept: {@link editMatte}) carried to every frame by optical flow ({@link propagateAlpha}); for a
 *   picked frame in training, the mattes carried there from the OTHER picks ({@link leaveOneOutAlphas}),
 *   so the generator learns to correct propagation. With no edits
 *   (applying a model alone) the plane is 128 everywhere: no information. The training pass over the
 *   video also keeps every frame's propagation on disk ({@link PlaneStore}), and the stream after it
 *   reads that ({@link attachStoredAlpha}) instead of decoding the video again for the same flows.
 * - `plate-difference`: for tripod footage, how far each frame differs from the clean background
 *   plate estimated over the whole video ({@link estimatePlate}, {@link plateDifference}); for a
 *   picked frame, from the plate its OWN edit did not correct. 128 everywhere when the camera moves.
 *
 * @example
 * const kit = await GuideKit.open(model.guides, { video, fps: 10, crop: 400, edits });
 * const planes = await kit.forPicks(frames); // training
 * decodeVideo(video, { fps: 10, crop: 400, budget }).pipe(kit.stage(), generate(model), …);
 * kit.dispose();
 * @throws {InvalidOptionError} for a guide vidgan cannot compute.
 * With `plate-difference`, `open` also rejects with the plate pass's errors ({@link BadInputError}, {@link EngineError}).
 */
export class GuideKit {
  private constructor(
    /** The guides in the model's order. */
    readonly names: readonly string[],
    private readonly sources: GuideSources,
    private prior: PersonPrior | undefined,
    /** The background plate's estimate, when the model takes `plate-difference`. */
    readonly plate: PlateEstimate | undefined,
  ) {}

  /** Each pick's veto on the prior ({@link priorVeto}), once computed; undefined while not. */
  private vetoes?: Promise<Map<number, Uint8Array>>;

  /** Each pick's matte ({@link editMatte}), once computed; undefined while not. */
  private mattes?: Promise<Map<number, Uint8Array>>;

  /** The picked frames and their priors ({@link pickInputs}), once read; undefined while not. */
  private picked?: Promise<{ frame: Frame; prior?: Uint8Array }[]>;

  /** Every frame's `flow-alpha` (and veto), kept by {@link forPicks}'s pass for the stream; undefined until it ran. */
  private propagated?: PlaneStore;

  /** Every frame's person prior, computed during {@link forPicks}'s pass for the stream; undefined until it ran. */
  private keptPriors?: PlaneStore;

  /** Whether the prior is lowered where the edits erased what it marks. */
  get vetoesPrior(): boolean {
    return this.prior !== undefined && this.names.includes(FLOW_ALPHA_GUIDE) && this.sources.edits.size > 0 && this.sources.priorVeto !== false;
  }

  static async open(names: readonly string[], sources: GuideSources): Promise<GuideKit> {
    const unknown = names.filter((name) => !(KNOWN_GUIDES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new InvalidOptionError(
        `Expected guides among [${KNOWN_GUIDES.join(', ')}] but received ${unknown.join(', ')}: vidgan cannot compute ${unknown.length > 1 ? 'them' : 'it'} for the frames.`,
      );
    }
    const plate = names.includes(PLATE_DIFFERENCE_GUIDE) ? await estimatePlate({ frames: framePass(sources), edits: editAlphas(sources), flow: GUIDE_FLOW }) : undefined;
    const prior = names.includes(PERSON_PRIOR_GUIDE) ? await PersonPrior.load() : undefined;
    return new GuideKit(names, sources, prior, plate);
  }

  /**
   * The guide planes of each picked frame, in the model's guide order, for training: as a frame far
   * from any pick gets them ({@link trainingGuides}' `planes`).
   *
   * @example const planes = await kit.forPicks(collected); planes.get(120) // [prior, flowAlpha]
   */
  async forPicks(frames: ReadonlyMap<number, Frame>, options: { readonly forStream?: boolean } = {}): Promise<Map<number, Uint8Array[]>> {
    return (await this.trainingGuides(frames, options)).planes;
  }

  /**
   * The guide planes of each picked frame, in the model's guide order, for training: `planes` as a
   * frame far from any pick gets them (the flow guide and the prior's veto carried from the OTHER
   * picks), and with `roundTrip` d > 0, `nearby`: as a frame d frames from the pick gets them, its own
   * edit's matte and veto carried d frames on (or back, at the video's end) and home again by optical
   * flow ({@link roundTrip}). Trained on both, the generator learns how far to trust the flow guide
   * both near the picks and far from them (docs/QUALITY.md, session 11). A pick with no frame d away
   * on either side within its shot has no `nearby` planes.
   *
   * With `forStream` (default true), the pass over the video also keeps, on disk, what the stream
   * after training would compute again: every frame's propagation and person prior (the prior is
   * computed on the frames the pass decodes anyway, beside its optical flow). A job that does not
   * stream (hold-out scores, training alone) passes false. `onFrame` is called with each frame's index
   * as that pass reads it (progress).
   *
   * With `neighbours` d (0 … 10, default 0), also the frames 1 … d before and after each pick with its
   * edit carried onto them (`carried`, at most {@link MAX_CARRIED_FRAMES}).
   *
   * @example const { planes, nearby } = await kit.trainingGuides(collected, { roundTrip: 3 });
   * @throws {InvalidOptionError} for a `roundTrip` that is not an integer of 0 … 100, or `neighbours` of 0 … 10.
   */
  async trainingGuides(
    frames: ReadonlyMap<number, Frame>,
    options: { readonly forStream?: boolean; readonly roundTrip?: number; readonly neighbours?: number; readonly onFrame?: (index: number) => void } = {},
  ): Promise<TrainingGuides> {
    const distance = expectInteger('roundTrip', options.roundTrip ?? 0, 0, 100);
    const neighbours = expectInteger('neighbours', options.neighbours ?? 0, 0, 10);
    const out = new Map<number, Uint8Array[]>([...frames.keys()].map((index) => [index, []]));
    const nearbyOut = new Map<number, Uint8Array[]>();
    let carried: CarriedPair[] = [];
    if (this.names.length === 0) return { planes: out, nearby: nearbyOut, carried };
    const planes = new Map<string, Map<number, Uint8Array>>();
    const nearby = new Map<string, Map<number, Uint8Array>>();
    if (this.prior !== undefined) {
      const list = [...frames.values()];
      const probabilities = await this.prior.probability(list);
      planes.set(PERSON_PRIOR_GUIDE, new Map(list.map((frame, i) => [frame.index, probabilities[i]!])));
    }
    if (this.names.includes(FLOW_ALPHA_GUIDE)) {
      const priors = planes.get(PERSON_PRIOR_GUIDE);
      const rawPriors = priors && new Map(priors);
      const vetoes = this.vetoesPrior ? await this.pickVetoes(frames, priors) : undefined;
      // Before the stores below are made: nothing is left to remove if reading the picks fails.
      const pickAlphas = await this.pickMattes(frames, rawPriors);
      // The grey planes of the frames `distance` before and after each pick, kept as the pass reads them.
      const away = new Map<number, Plane>();
      const wanted = new Set(distance > 0 ? [...this.sources.edits.keys()].flatMap((pick) => [pick - distance, pick + distance]) : []);
      // The frames `neighbours` before and after each pick (not picks themselves), kept whole.
      const near = new Set(carriedPicks(this.sources.edits, neighbours).flatMap((pick) => steps(neighbours).flatMap((k) => [pick - k, pick + k])).filter((i) => !this.sources.edits.has(i)));
      const nearFrames = new Map<number, Frame>();
      const nearGreys = new Map<number, Plane>();
      // The same pass keeps every frame's propagation and prior for the stream, which then need not
      // compute them again; without room for them (no temporary folder, a full disk) the stream
      // computes them itself.
      this.dropKept();
      const forStream = options.forStream ?? true;
      const store = forStream ? keepingStore() : undefined;
      const priorStore = forStream && this.prior !== undefined ? keepingStore() : undefined;
      const decode = framePass(this.sources);
      const prior = this.prior;
      const decodeAll =
        priorStore === undefined || prior === undefined ? decode : (budget: FrameBudget) => decode(budget).pipe(personPrior(prior), keepPlanes(priorStore, [PERSON_PRIOR_GUIDE]));
      const pass = near.size === 0 ? decodeAll : (budget: FrameBudget) => decodeAll(budget).pipe(tap((frame) => near.has(frame.index) && nearFrames.set(frame.index, frame)));
      let alphas: Awaited<ReturnType<typeof leaveOneOutAlphas>>;
      try {
        alphas = await leaveOneOutAlphas({
          picks: pickAlphas,
          vetoes,
          frames: pass,
          flow: guideFlow(this.sources.frameCount),
          direct: guideDirect(this.sources.frameCount),
          store,
          onGrey: (index: number, grey: Plane) => {
            if (wanted.has(index)) away.set(index, grey);
            if (near.has(index)) nearGreys.set(index, grey);
            options.onFrame?.(index);
          },
        });
      } catch (error) {
        store?.remove();
        priorStore?.remove();
        throw error;
      }
      this.propagated = store?.usable ? store : undefined;
      this.keptPriors = priorStore?.usable ? priorStore : undefined;
      planes.set(FLOW_ALPHA_GUIDE, new Map([...alphas].map(([index, found]) => [index, found.alpha])));
      // A pick trains with the prior its neighbours' vetoes leave, as the frames between picks get it.
      for (const [index, found] of alphas) {
        const prior = priors?.get(index);
        if (prior !== undefined && found.veto !== undefined) priors!.set(index, vetoPrior(prior, found.veto));
      }
      if (distance > 0) for (const [name, byPick] of await this.roundTrips(frames, pickAlphas, distance, away, rawPriors, vetoes)) nearby.set(name, byPick);
      if (neighbours > 0) carried = await this.carryToNeighbours(frames, neighbours, nearFrames, nearGreys, alphas);
    }
    if (this.plate !== undefined) {
      const plate = this.plate;
      const differences = new Map([...frames].map(([index, frame]) => [index, plateDifference(frame.data, plateFor(plate, index))]));
      planes.set(PLATE_DIFFERENCE_GUIDE, differences);
      nearby.set(PLATE_DIFFERENCE_GUIDE, differences);
    }
    for (const [index, list] of out) {
      for (const name of this.names) {
        const plane = planes.get(name)?.get(index);
        list.push(plane ?? noData(this.sources.crop));
      }
      if (nearby.get(FLOW_ALPHA_GUIDE)?.has(index)) nearbyOut.set(index, this.names.map((name) => nearby.get(name)?.get(index) ?? planes.get(name)?.get(index) ?? noData(this.sources.crop)));
    }
    return { planes: out, nearby: nearbyOut, carried };
  }

  /**
   * Each pick's edit carried onto the frames `neighbours` before and after it ({@link carryEdit}), with
   * the guides a frame far from the picks gets there: the pick's leave-one-out flow guide and veto
   * carried the same way, and the frame's own person prior under that veto.
   */
  private async carryToNeighbours(
    frames: ReadonlyMap<number, Frame>,
    neighbours: number,
    nearFrames: ReadonlyMap<number, Frame>,
    nearGreys: ReadonlyMap<number, Plane>,
    found: ReadonlyMap<number, { readonly alpha: Uint8Array; readonly veto?: Uint8Array }>,
  ): Promise<CarriedPair[]> {
    const { crop, edits } = this.sources;
    const pairs: CarriedPair[] = [];
    for (const pick of carriedPicks(edits, neighbours)) {
      const edit = edits.get(pick)!;
      const frame = frames.get(pick);
      const far = found.get(pick);
      if (frame === undefined || far === undefined) continue;
      const grey = greyPlane(frame.data, crop, crop);
      for (const index of steps(neighbours).flatMap((k) => [pick - k, pick + k])) {
        const nearFrame = nearFrames.get(index);
        const nearGrey = nearGreys.get(index);
        if (nearFrame === undefined || nearGrey === undefined) continue;
        const carried = far.veto ? [far.alpha, far.veto] : [far.alpha];
        const carry = await carryEdit({ frame: frame.data, edit, grey }, { frame: nearFrame.data, grey: nearGrey }, carried, guideFlow(this.sources.frameCount));
        if (carry === undefined || carry.agreement < CARRY_AGREEMENT) continue;
        const [alpha, veto] = carry.planes;
        const guides = new Map<string, Uint8Array>([[FLOW_ALPHA_GUIDE, alpha!]]);
        if (this.prior !== undefined) {
          const raw = nearFrame.guides?.[PERSON_PRIOR_GUIDE] ?? (await this.prior.probability([nearFrame]))[0]!;
          guides.set(PERSON_PRIOR_GUIDE, veto ? vetoPrior(raw, veto) : raw);
        }
        if (this.plate !== undefined) guides.set(PLATE_DIFFERENCE_GUIDE, plateDifference(nearFrame.data, plateFor(this.plate, index)));
        pairs.push({
          index,
          pick,
          input: nearFrame.data,
          target: carry.target,
          weights: carry.weights,
          planes: this.names.map((name) => guides.get(name) ?? noData(crop)),
          agreement: carry.agreement,
        });
      }
    }
    return pairs;
  }

  /** Each pick's own alpha and veto carried `distance` frames away and back (the veto then lowers the pick's prior), by guide name ({@link trainingGuides}' `nearby`). */
  private async roundTrips(
    frames: ReadonlyMap<number, Frame>,
    alphas: ReadonlyMap<number, Uint8Array>,
    distance: number,
    away: ReadonlyMap<number, Plane>,
    rawPriors: ReadonlyMap<number, Uint8Array> | undefined,
    vetoes: ReadonlyMap<number, Uint8Array> | undefined,
  ): Promise<Map<string, Map<number, Uint8Array>>> {
    const { crop } = this.sources;
    const flowAlphas = new Map<number, Uint8Array>();
    const priors = new Map<number, Uint8Array>();
    for (const [index, frame] of frames) {
      const alpha = alphas.get(index);
      if (alpha === undefined) continue;
      const home = greyPlane(frame.data, crop, crop);
      const veto = vetoes?.get(index);
      for (const other of [away.get(index + distance), away.get(index - distance)]) {
        const trip = other && (await roundTrip(veto ? [alpha, veto] : [alpha], home, other, guideFlow(this.sources.frameCount)));
        if (trip === undefined) continue;
        const [carried, carriedVeto] = trip.planes;
        flowAlphas.set(index, doubtWhereMismatched(carried!, trip.mismatch));
        const prior = rawPriors?.get(index);
        if (prior !== undefined) priors.set(index, carriedVeto ? vetoPrior(prior, carriedVeto) : prior);
        break;
      }
    }
    return new Map([[FLOW_ALPHA_GUIDE, flowAlphas], ...(rawPriors !== undefined ? ([[PERSON_PRIOR_GUIDE, priors]] as const) : [])]);
  }

  /** A stage that attaches every guide the model needs to each frame of the stream. */
  stage(): OperatorFunction<Frame, Frame> {
    return (source) => {
      let stream = source;
      const keptPriors = this.keptPriors;
      if (keptPriors !== undefined) stream = stream.pipe(attachStoredPlanes(keptPriors, [PERSON_PRIOR_GUIDE]));
      else if (this.prior !== undefined) stream = stream.pipe(personPrior(this.prior));
      if (this.names.includes(FLOW_ALPHA_GUIDE)) {
        const kept = this.propagated;
        const vetoing = this.vetoesPrior;
        const prior = stream;
        stream = defer(() => from(Promise.all([kept === undefined ? this.pickMattes() : undefined, vetoing ? this.pickVetoes() : undefined]))).pipe(
          switchMap(([mattes, vetoes]) => {
            const carried = prior.pipe(
              kept !== undefined
                ? attachStoredAlpha(kept)
                : propagateAlpha({ picks: mattes!, vetoes, frames: framePass(this.sources), flow: guideFlow(this.sources.frameCount), direct: guideDirect(this.sources.frameCount) }),
            );
            return vetoing ? carried.pipe(applyPriorVeto()) : carried;
          }),
        );
      }
      if (this.plate !== undefined) {
        const plate = plateFor(this.plate);
        stream = stream.pipe(map((frame) => withGuide(frame, PLATE_DIFFERENCE_GUIDE, plateDifference(frame.data, plate))));
      }
      return stream;
    };
  }

  /**
   * The picks' vetoes on the prior, computed once: from the picked frames and their priors
   * ({@link pickInputs}).
   */
  private pickVetoes(frames?: ReadonlyMap<number, Frame>, priors?: ReadonlyMap<number, Uint8Array>): Promise<Map<number, Uint8Array>> {
    this.vetoes ??= (async () => {
      const { edits, crop } = this.sources;
      const picks = await this.pickInputs(frames, priors);
      return new Map(picks.map(({ frame, prior }) => [frame.index, priorVeto(prior!, edits.get(frame.index)!, frame.data, crop, crop)]));
    })();
    return this.vetoes;
  }

  /**
   * The picks' mattes ({@link editMatte}: white clothing the edit kept stays subject), which the flow
   * guide carries and the drill's alpha loss reads, computed once: from the picked frames and, with the
   * person prior, their priors.
   *
   * @example const mattes = await kit.pickMattes(collected); mattes.get(120) // 255 = subject
   */
  pickMattes(frames?: ReadonlyMap<number, Frame>, priors?: ReadonlyMap<number, Uint8Array>): Promise<Map<number, Uint8Array>> {
    this.mattes ??= (async () => {
      const { edits, crop } = this.sources;
      const picks = await this.pickInputs(frames, priors);
      return new Map(picks.map(({ frame, prior }) => [frame.index, editMatte(edits.get(frame.index)!, frame.data, crop, crop, prior)]));
    })();
    return this.mattes;
  }

  /**
   * The picked frames (given, else the sources', else decoded again) with their person priors (given,
   * else computed; undefined without the prior), once for the vetoes and the mattes.
   */
  private pickInputs(frames?: ReadonlyMap<number, Frame>, priors?: ReadonlyMap<number, Uint8Array>): Promise<{ frame: Frame; prior?: Uint8Array }[]> {
    this.picked ??= (async () => {
      const { edits, crop } = this.sources;
      const picks = [...edits.keys()];
      if (picks.length === 0) return [];
      const known = [frames, this.sources.pickFrames].find((map) => map !== undefined && picks.every((i) => map.has(i)));
      const picked = known ?? (await collectFrames(this.sources.video, picks, { fps: this.sources.fps, crop, signal: this.sources.signal }));
      const list = picks.map((i) => picked.get(i)!);
      const probabilities =
        this.prior === undefined ? undefined : priors !== undefined && picks.every((i) => priors.has(i)) ? list.map((f) => priors.get(f.index)!) : await this.prior.probability(list);
      return list.map((frame, k) => ({ frame, prior: probabilities?.[k] }));
    })();
    return this.picked;
  }

  /** Releases the person prior's network and deletes the planes kept for the stream. */
  dispose(): void {
    this.prior?.dispose();
    this.prior = undefined;
    this.dropKept();
  }

  private dropKept(): void {
    this.propagated?.remove();
    this.propagated = undefined;
    this.keptPriors?.remove();
    this.keptPriors = undefined;
  }
}

/** A new store for planes the training pass keeps for the stream, or undefined when no temporary folder can be made. */
function keepingStore(): PlaneStore | undefined {
  try {
    return PlaneStore.create();
  } catch {
    return undefined;
  }
}

/** The edits' alpha as the background plate reads it: their non-white region, as the metrics read an edited frame. */
function editAlphas({ edits, crop }: GuideSources): Map<number, Uint8Array> {
  return new Map([...edits].map(([index, rgb]) => [index, nonWhiteMask(rgb, crop, crop)]));
}

/** A second decode of the video, paced by its own budget. */
function framePass({ video, fps, crop, signal }: GuideSources) {
  return (budget: FrameBudget) => decodeVideo(video, { fps, crop, budget, signal });
}

/**
 * At most this many frames beside the picks are kept for training ({@link TrainingGuides.carried}): a
 * long video with many picks carries from an even spread of them, so memory stays bounded (each
 * frame is about 0.6 MB with its planes).
 */
export const MAX_CARRIED_FRAMES = 128;

/**
 * The picks whose edits are carried to their `neighbours` frames either side: all, or an even spread
 * whose frames stay within {@link MAX_CARRIED_FRAMES}.
 *
 * @example carriedPicks(new Map([[5, edit], [15, edit]]), 2) // [5, 15]
 */
export function carriedPicks(edits: ReadonlyMap<number, Uint8Array>, neighbours: number): number[] {
  if (neighbours === 0) return [];
  const picks = [...edits.keys()].sort((a, b) => a - b);
  // Each pick carries to at most 2d frames: keep as many picks as that leaves room for, evenly spread.
  const room = Math.max(1, Math.floor(MAX_CARRIED_FRAMES / (2 * neighbours)));
  const every = Math.ceil(picks.length / room);
  return picks.filter((_, k) => k % every === 0);
}

/** 1 … d. */
function steps(d: number): number[] {
  return Array.from({ length: d }, (_, k) => k + 1);
}

function noData(crop: number): Uint8Array {
  return new Uint8Array(crop * crop).fill(128);
}

/**
 * The guides a newly trained model takes, from a job's options: `guides` (default
 * {@link DEFAULT_GUIDES}) and `alphaPriorGuide` (default the default's, `null` for none; ignored
 * when it is not among the guides).
 *
 * @example resolveGuideSpec({ guides: ['person-prior'] }) // { guides: ['person-prior'] }
 */
export function resolveGuideSpec(options: { guides?: readonly string[]; alphaPriorGuide?: string | null }): {
  guides: readonly string[];
  alphaPriorGuide?: string;
} {
  const guides = options.guides ?? DEFAULT_GUIDES.guides;
  const alpha = options.alphaPriorGuide === undefined ? DEFAULT_GUIDES.alphaPriorGuide : (options.alphaPriorGuide ?? undefined);
  return alpha !== undefined && guides.includes(alpha) ? { guides, alphaPriorGuide: alpha } : { guides };
}
