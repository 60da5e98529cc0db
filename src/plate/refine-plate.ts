import type { MedianPlate } from './median-plate';

/** An edited frame as the plate reads it: its source pixels and where the edit kept the subject. */
export interface PlateEdit {
  readonly index: number;
  /** The source frame, packed RGB24. */
  readonly rgb: Uint8Array;
  /** The edit's alpha: 255 where the subject was kept, 0 where the background was erased. */
  readonly alpha: Uint8Array;
}

/** The clean background of a still camera and how far to trust it, pixel by pixel. */
export interface BackgroundPlate {
  readonly width: number;
  readonly height: number;
  /** Packed RGB24. */
  readonly rgb: Uint8Array;
  /** 0..255: 0 where the plate says nothing (the person stands there in the samples), 255 where it is the background. */
  readonly confidence: Uint8Array;
}

/**
 * The median plate corrected by the edits, which say where the background is visible:
 * - where an edit erased the background, that edit's source pixel IS the background: the plate takes
 *   it (the mean over such edits), trusted fully where the median agrees and at 3/4 where the person
 *   covered it in most samples (the median saw the person, the edit did not);
 * - where every edit kept the subject and the plate matches the subject's colour there, the plate is
 *   the person (someone who hardly moves): confidence 0, no information;
 * - elsewhere the confidence is the samples' agreement, from 0 at 30% of them to full at 70%.
 *
 * @example const plate = refinePlate(median, [{ index: 12, rgb: frame12.data, alpha: nonWhiteMask(edit12, 400, 400) }]);
 */
export function refinePlate(median: MedianPlate, edits: readonly PlateEdit[], tolerance = 20): BackgroundPlate {
  const { width, height } = median;
  const pixels = width * height;
  const rgb = new Uint8Array(median.rgb);
  const confidence = new Uint8Array(pixels);
  for (let p = 0, j = 0; p < pixels; p++, j += 3) {
    const a = median.agreement[p]! / 255;
    let seen = 0;
    let r = 0, g = 0, b = 0;
    let subject = 0;
    let subjectIsPlate = false;
    for (const edit of edits) {
      const s = edit.rgb;
      if (edit.alpha[p]! < 128) {
        seen++;
        r += s[j]!;
        g += s[j + 1]!;
        b += s[j + 2]!;
      } else {
        subject++;
        if (near(s, j, median.rgb, j, tolerance)) subjectIsPlate = true;
      }
    }
    if (seen > 0) {
      rgb[j] = Math.round(r / seen);
      rgb[j + 1] = Math.round(g / seen);
      rgb[j + 2] = Math.round(b / seen);
      confidence[p] = near(rgb, j, median.rgb, j, tolerance) ? 255 : 192;
    } else if (subjectIsPlate || (subject > 0 && a < STEADY_UNDER_SUBJECT)) {
      confidence[p] = 0;
    } else {
      confidence[p] = Math.round(255 * Math.min(1, Math.max(0, (a - 0.3) / 0.4)));
    }
  }
  return { width, height, rgb, confidence };
}

/**
 * Where every edit kept the subject, the median may be the person's own colours (someone who sways
 * but never leaves): trusted only where nearly all samples agree on one colour that no edit's
 * subject has there.
 */
const STEADY_UNDER_SUBJECT = 0.9;

function near(a: Uint8Array, i: number, b: Uint8Array, j: number, tolerance: number): boolean {
  return Math.abs(a[i]! - b[j]!) <= tolerance && Math.abs(a[i + 1]! - b[j + 1]!) <= tolerance && Math.abs(a[i + 2]! - b[j + 2]!) <= tolerance;
}
