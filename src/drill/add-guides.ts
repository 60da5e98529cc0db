import { nonWhiteMask } from '../eval/non-white-mask';
import { createSynthRng, mixSeed } from '../data/synth/synth-rng';
import { simulateFlowAlpha } from '../data/simulate-flow-alpha';
import { InvalidOptionError } from '../pipeline/errors';
import { makeFrame } from '../pipeline/frame';
import { PersonPrior } from '../prior/person-prior';
import type { ImagePair } from './augment';

/** A training pair whose matte is known (procedural and composited pairs), or derived from the target. */
export interface MattedPair extends ImagePair {
  /** 0 (background) … 255 (subject); when absent, the target's non-white region. */
  readonly mask?: Uint8Array;
}

const PRIOR_BATCH = 8;

/**
 * Gives pretraining pairs the guide planes a model with `guides` takes, as a drill would see them on
 * video: `person-prior` is MediaPipe's person probability of the input; `flow-alpha`, which on video is
 * the edits carried by optical flow, is the pair's matte with propagation's typical errors
 * ({@link simulateFlowAlpha}), drawn from `seed`.
 *
 * @example
 * const pool = await addGuides(pairs, ['person-prior', 'flow-alpha'], 1);
 * @throws {InvalidOptionError} for a guide that cannot be made for still pairs.
 */
export async function addGuides(pairs: readonly MattedPair[], guides: readonly string[], seed: number): Promise<ImagePair[]> {
  for (const name of guides) {
    if (name !== 'person-prior' && name !== 'flow-alpha') {
      throw new InvalidOptionError(`Pretraining pairs cannot get the guide '${name}': only person-prior and flow-alpha can be made for still pairs.`);
    }
  }
  const priors = guides.includes('person-prior') ? await priorsOf(pairs) : [];
  return pairs.map((pair, k) => {
    const planes = guides.map((name) => {
      if (name === 'person-prior') return priors[k]!;
      const mask = pair.mask ?? nonWhiteMask(pair.target, pair.width, pair.height);
      return simulateFlowAlpha(mask, pair.width, pair.height, createSynthRng(mixSeed(seed, k, 0xf10a)));
    });
    return { input: pair.input, target: pair.target, width: pair.width, height: pair.height, guides: planes };
  });
}

async function priorsOf(pairs: readonly ImagePair[]): Promise<Uint8Array[]> {
  const prior = await PersonPrior.load();
  try {
    const out: Uint8Array[] = [];
    for (let start = 0; start < pairs.length; start += PRIOR_BATCH) {
      const frames = pairs.slice(start, start + PRIOR_BATCH).map((p, i) => makeFrame(start + i, 0, p.width, p.height, p.input));
      out.push(...(await prior.probability(frames)));
    }
    return out;
  } finally {
    prior.dispose();
  }
}
