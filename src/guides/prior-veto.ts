import { map, type OperatorFunction } from 'rxjs';
import { nonWhiteMask } from '../eval/non-white-mask';
import { FLOW_VETO_PLANE } from '../flow/propagate-alpha';
import { checkImageSize } from '../eval/check-sizes';
import type { Frame } from '../pipeline/frame';
import { PERSON_PRIOR_GUIDE } from '../stages/person-prior';

/**
 * Where a pick's edit contradicts the person prior: the prior's probability on the pixels the edit
 * erased to white although the frame is not white there (another person's hand, a bystander), 0
 * elsewhere. A white shirt the edit keeps is white in both and vetoes nothing. `width * height` bytes.
 * Scaled by the prior's own confidence, not 255 wherever the edit erased: the veto then stays on
 * what the prior actually marked (all the background is erased too), so that where the flow drifts
 * it does not carry a veto onto a person the prior finds in a place that was background at the pick.
 *
 * The guide kit carries these planes from the picks to every frame along the flow that carries the
 * edits ({@link AlphaPropagator}'s `vetoes`) and lowers the prior there ({@link vetoPrior}): the prior
 * marks every person, the edits say which ones the user erased, and the generator, trained to follow
 * the prior, would otherwise keep them (docs/QUALITY.md, patching).
 *
 * @example
 * const veto = priorVeto(prior, edit, frame.data, 400, 400);
 * @throws {InvalidOptionError} when a buffer is not of the frame's size.
 */
export function priorVeto(prior: Uint8Array, edit: Uint8Array, frame: Uint8Array, width: number, height: number): Uint8Array {
  checkImageSize('priorVeto prior', prior, width, height, 1);
  const kept = nonWhiteMask(edit, width, height);
  const coloured = nonWhiteMask(frame, width, height);
  const veto = new Uint8Array(width * height);
  for (let i = 0; i < veto.length; i++) if (kept[i] === 0 && coloured[i] !== 0) veto[i] = prior[i]!;
  return veto;
}

/**
 * The prior lowered where a veto is carried: `prior * (1 - veto / 255)`, a new plane.
 *
 * @example vetoPrior(Uint8Array.of(255, 200), Uint8Array.of(255, 0)) // [0, 200]
 * @throws {InvalidOptionError} when the planes differ in size.
 */
export function vetoPrior(prior: Uint8Array, veto: Uint8Array): Uint8Array {
  checkImageSize('vetoPrior veto', veto, prior.length, 1, 1);
  const out = new Uint8Array(prior.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((prior[i]! * (255 - veto[i]!)) / 255);
  return out;
}

/**
 * A stage after the person prior and {@link propagateAlpha} with `vetoes`: lowers each frame's
 * `person-prior` plane by the carried veto ({@link vetoPrior}) and drops the `flow-veto` plane. Frames
 * without both pass unchanged.
 *
 * @example stream.pipe(personPrior(prior), propagateAlpha({ picks, vetoes, frames }), applyPriorVeto())
 */
export function applyPriorVeto(): OperatorFunction<Frame, Frame> {
  return map((frame) => {
    const guides = frame.guides;
    const veto = guides?.[FLOW_VETO_PLANE];
    if (guides === undefined || veto === undefined) return frame;
    const { [FLOW_VETO_PLANE]: _dropped, ...rest } = guides;
    const prior = rest[PERSON_PRIOR_GUIDE];
    const corrected = prior === undefined ? rest : { ...rest, [PERSON_PRIOR_GUIDE]: vetoPrior(prior, veto) };
    return Object.freeze({ ...frame, guides: Object.freeze(corrected) });
  });
}
