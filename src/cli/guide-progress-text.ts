import { progressBar } from './format-duration';

/**
 * The status-line text of the guides' pass (the edits carried through the video before training), for
 * `process` and `eval --holdout`.
 *
 * @example guideProgressText({ frames: 30, totalFrames: 60 }) // 'guides   [############------------] frame 30/60  (…)'
 */
export function guideProgressText(p: { readonly frames: number; readonly totalFrames?: number }): string {
  const fraction = p.totalFrames ? p.frames / p.totalFrames : 0;
  return `guides   ${progressBar(fraction)} frame ${p.frames}/${p.totalFrames ?? '?'}  (your edits carried through the video before training)`;
}
