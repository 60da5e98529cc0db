/**
 * A matte of a studio portrait (a person in front of a plain, smoothly shaded backdrop): the backdrop's
 * colour is modelled per row from the picture's side borders above the shoulders and extrapolated
 * down, each pixel's distance to it gives a colour matte, and a person prior (when given) removes
 * backdrop-coloured objects far from the person and keeps the person where clothing matches the
 * backdrop: half opaque at least where the prior is sure, and whole a few pixels inside that (a face
 * as light as the backdrop). Finally only the region connected to the bottom edge is kept and holes
 * are filled.
 */
import { erode } from '../../patch/binary-morphology';

/** Prior probability (0..255) above which the person is sure. */
const SURE_PRIOR = 242;

/** Options of {@link portraitMatte}. */
export interface PortraitMatteOptions {
  /** Colour distance (0..441 in RGB units) below which a pixel is backdrop. Default 22. */
  readonly lowDistance?: number;
  /** Colour distance above which a pixel is surely not backdrop. Default 48. */
  readonly highDistance?: number;
  /** Fraction of the height, from the top, whose side borders show only backdrop. Default 0.45. */
  readonly clearTop?: number;
}

/**
 * Computes a soft matte (0 backdrop … 255 person) of a portrait on a plain backdrop.
 *
 * @example
 * const mask = portraitMatte(rgb, 225, 275, prior);
 */
export function portraitMatte(
  rgb: Uint8Array,
  width: number,
  height: number,
  prior?: Uint8Array,
  options: PortraitMatteOptions = {},
): Uint8Array {
  const low = options.lowDistance ?? 22;
  const high = options.highDistance ?? 48;
  const backdrop = backdropModel(rgb, width, height, options.clearTop ?? 0.45);
  // The prior is blobby at its 256 px: its sure region can spill a few pixels past the outline, so only
  // the part of it 3% of the side inside is taken as wholly person.
  const inside = prior === undefined ? undefined : erode(prior.map((v) => (v > SURE_PRIOR ? 255 : 0)), width, height, Math.max(2, Math.round(0.03 * Math.min(width, height))));
  const soft = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const t = x / (width - 1);
      let d2 = 0;
      for (let c = 0; c < 3; c++) {
        const bg = (1 - t) * backdrop.left[y * 3 + c]! + t * backdrop.right[y * 3 + c]!;
        const diff = rgb[i * 3 + c]! - bg;
        d2 += diff * diff;
      }
      let a = smoothstep(low, high, Math.sqrt(d2));
      if (prior !== undefined) {
        const p = prior[i]! / 255;
        if (p < 0.1) a = 0;
        else if (inside![i]) a = 1;
        else if (prior[i]! > SURE_PRIOR) a = Math.max(a, 0.5 + 0.5 * a);
      }
      soft[i] = a;
    }
  }
  const keep = connectedToBottom(soft, width, height);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = keep[i] ? Math.round(soft[i]! * 255) : 0;
  fillHoles(out, width, height);
  return out;
}

interface Backdrop {
  /** Backdrop colour at the left and right border for every row, `height * 3`. */
  readonly left: Float32Array;
  readonly right: Float32Array;
}

/**
 * Follows each side border down the picture: the backdrop colour of a row is the border's own colour
 * while it stays close to the rows above (a smooth gradient or vignette), and is carried on, with the
 * trend of the last rows, once the border turns into the person (shoulders reaching the edge).
 */
function backdropModel(rgb: Uint8Array, width: number, height: number, clearTop: number): Backdrop {
  const band = Math.max(1, Math.round(width * 0.03));
  const clearRows = Math.max(2, Math.floor(height * clearTop));
  const follow = (x0: number): Float32Array => {
    const line = new Float32Array(height * 3);
    const mean = (y: number, c: number) => {
      let sum = 0;
      for (let x = x0; x < x0 + band; x++) sum += rgb[(y * width + x) * 3 + c]!;
      return sum / band;
    };
    const trend = [0, 0, 0];
    let lost = false;
    for (let y = 0; y < height; y++) {
      const seen = [mean(y, 0), mean(y, 1), mean(y, 2)];
      if (y === 0) { for (let c = 0; c < 3; c++) line[c] = seen[c]!; continue; }
      const expected = [0, 1, 2].map((c) => line[(y - 1) * 3 + c]! + trend[c]!);
      const jump = Math.hypot(seen[0]! - expected[0]!, seen[1]! - expected[1]!, seen[2]! - expected[2]!);
      if (y >= clearRows && (lost || jump > 12)) lost = true;
      for (let c = 0; c < 3; c++) {
        const value = lost ? expected[c]! : 0.7 * seen[c]! + 0.3 * expected[c]!;
        if (!lost && y > 4) trend[c] = 0.9 * trend[c]! + 0.1 * (value - line[(y - 1) * 3 + c]!);
        line[y * 3 + c] = value;
      }
    }
    return line;
  };
  return { left: follow(0), right: follow(width - band) };
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Pixels of alpha ≥ 0.5 connected (4-neighbours) to the bottom row, grown by one soft pixel ring. */
function connectedToBottom(alpha: Float32Array, width: number, height: number): Uint8Array {
  const keep = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let x = 0; x < width; x++) {
    const i = (height - 1) * width + x;
    if (alpha[i]! >= 0.5) { keep[i] = 1; stack.push(i); }
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width, y = (i - x) / width;
    for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
      if (j >= 0 && keep[j] === 0 && alpha[j]! >= 0.5) { keep[j] = 1; stack.push(j); }
    }
  }
  const grown = keep.slice();
  for (let i = 0; i < keep.length; i++) {
    if (keep[i] === 1) continue;
    const x = i % width;
    if ((x > 0 && keep[i - 1] === 1) || (x < width - 1 && keep[i + 1] === 1) || keep[i - width] === 1 || keep[i + width] === 1) grown[i] = 1;
  }
  return grown;
}

/** Sets to 255 every pixel of value < 128 that no path of such pixels joins to the top or the sides. */
function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Uint8Array(width * height);
  const stack: number[] = [];
  const seed = (i: number) => { if (outside[i] === 0 && mask[i]! < 128) { outside[i] = 1; stack.push(i); } };
  for (let x = 0; x < width; x++) seed(x);
  for (let y = 0; y < height; y++) { seed(y * width); seed(y * width + width - 1); }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width, y = (i - x) / width;
    if (x > 0) seed(i - 1);
    if (x < width - 1) seed(i + 1);
    if (y > 0) seed(i - width);
    if (y < height - 1) seed(i + width);
  }
  for (let i = 0; i < mask.length; i++) if (outside[i] === 0 && mask[i]! < 128) mask[i] = 255;
}
