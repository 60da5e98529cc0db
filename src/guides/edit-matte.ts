import { checkImageSize } from '../eval/check-sizes';
import { nonWhiteMask } from '../eval/non-white-mask';

/**
 * The matte of an edit (255 = subject kept, 0 = background erased), read with the frame it was made
 * from, so that white parts of the subject stay subject. Its non-white region is subject, and white
 * where the frame is not white is background the edit erased. Where both are white (a white shirt,
 * teeth, a white helmet, or a white wall nobody had to erase) the edit alone cannot tell, and each
 * connected patch of such pixels is decided whole:
 * - a patch that touches neither erased background nor the frame's edge lies inside the subject
 *   (teeth, a collar between the lapels): subject, unless the person prior, when given, is sure it
 *   is not a person (its mean over the patch under a quarter: white wall seen between arm and body);
 * - a patch that does touch them is subject when the prior's mean over it is at least one half (a
 *   shirt running to the frame's bottom edge, a helmet against erased sky), background when not (a
 *   white wall) or when there is no prior.
 *
 * The guides carry this matte to every frame, so a transparent or replaced background no longer shows
 * through white clothing; over white the output is the same either way. "White" is within 24 grey
 * levels, as the metrics read a frame ({@link nonWhiteMask}).
 *
 * @example
 * const matte = editMatte(edit, frame.data, 400, 400, prior);
 * @throws {InvalidOptionError} when a buffer is not of the frame's size.
 */
export function editMatte(edit: Uint8Array, frame: Uint8Array, width: number, height: number, prior?: Uint8Array): Uint8Array {
  if (prior !== undefined) checkImageSize('editMatte prior', prior, width, height, 1);
  const matte = nonWhiteMask(edit, width, height);
  const coloured = nonWhiteMask(frame, width, height);
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  const patch: number[] = [];
  for (let start = 0; start < matte.length; start++) {
    if (matte[start] !== 0 || coloured[start] !== 0 || seen[start] !== 0) continue;
    // One 4-connected patch of pixels white in both, with what borders it.
    patch.length = 0;
    let open = false;
    let priorSum = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      patch.push(p);
      priorSum += prior?.[p] ?? 0;
      const x = p % width;
      const y = (p - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) open = true;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q < 0) continue;
        if (matte[q] === 0 && coloured[q] !== 0) open = true; // erased background beside it
        if (matte[q] !== 0 || coloured[q] !== 0 || seen[q] !== 0) continue;
        seen[q] = 1;
        stack.push(q);
      }
    }
    const mean = prior === undefined ? undefined : priorSum / patch.length;
    const subject = open ? mean !== undefined && mean >= 127.5 : mean === undefined || mean >= 63.75;
    if (subject) for (const p of patch) matte[p] = 255;
  }
  return matte;
}
