import { join } from 'node:path';
import type { GuideSpec } from './widen-to-guides';

/** The guides the bundled guided base was trained with (the default guides, docs/BASE-MODEL.md). */
export const GUIDED_BASE_SPEC: GuideSpec = Object.freeze({ guides: Object.freeze(['person-prior', 'flow-alpha']), alphaPriorGuide: 'flow-alpha' });

/**
 * The path of a background-erasure base checkpoint that ships with vidgan, the default starting point
 * of drill training: for a drill with the default guides (`person-prior,flow-alpha`), the base trained
 * with them on real people and procedural figures (`models/base-guided.safetensors`); for any other
 * guides or none, the procedural base that takes the frame alone (`models/base.safetensors`), which
 * `Pix2Pix.loadWithGuides` widens. `vidgan info` on either prints how it was made.
 *
 * @example
 * const model = await Pix2Pix.load(defaultBasePath());
 * const guided = await Pix2Pix.loadWithGuides(defaultBasePath(spec), spec);
 */
export function defaultBasePath(spec: GuideSpec = { guides: [] }): string {
  const guided = sameGuides(spec, GUIDED_BASE_SPEC);
  // Both src/gan (ts-node, tests) and dist/gan (the built package) are two folders below the root.
  return join(__dirname, '..', '..', 'models', guided ? 'base-guided.safetensors' : 'base.safetensors');
}

function sameGuides(a: GuideSpec, b: GuideSpec): boolean {
  return a.guides.join(',') === b.guides.join(',') && (a.alphaPriorGuide ?? '') === (b.alphaPriorGuide ?? '');
}
