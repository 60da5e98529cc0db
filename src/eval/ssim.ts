import { checkImageSize, checkSameLength } from './check-sizes';

/** Gaussian window of Wang et al. 2004: 11x11, standard deviation 1.5 pixels. */
const RADIUS = 5;
const SIGMA = 1.5;
/** Stabilising constants of Wang et al. 2004 for 8-bit data: (K1 L)^2 and (K2 L)^2 with L = 255. */
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/**
 * Mean structural similarity (SSIM, Wang, Bovik, Sheikh and Simoncelli 2004,
 * https://ece.uwaterloo.ca/~z70wang/publications/ssim.pdf) of two packed RGB24 images, computed on
 * luma (BT.601: `0.299 R + 0.587 G + 0.114 B`, range 0–255) with the paper's 11x11 Gaussian window
 * (σ = 1.5), C1 = (0.01·255)², C2 = (0.03·255)². The SSIM map is computed at every pixel ("same" size):
 * near the borders the window keeps only the pixels inside the image and is renormalised, so images
 * smaller than the window (even 1x1) are scored; the result is the mean of that map. 1 means identical.
 *
 * @example
 * ssim(frame.data, edited.data, 400, 400); // 0.93
 * @throws {InvalidOptionError} when a buffer is not `width * height * 3` bytes.
 */
export function ssim(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  checkSameLength('ssim', a, b);
  checkImageSize('ssim image', a, width, height, 3);
  const n = width * height;
  const x = luma(a, n);
  const y = luma(b, n);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const kernel = gaussianKernel();
  const mx = filter(x, width, height, kernel);
  const my = filter(y, width, height, kernel);
  const sxx = filter(xx, width, height, kernel);
  const syy = filter(yy, width, height, kernel);
  const sxy = filter(xy, width, height, kernel);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const mux = mx[i];
    const muy = my[i];
    const varX = sxx[i] - mux * mux;
    const varY = syy[i] - muy * muy;
    const cov = sxy[i] - mux * muy;
    total += ((2 * mux * muy + C1) * (2 * cov + C2)) / ((mux * mux + muy * muy + C1) * (varX + varY + C2));
  }
  return total / n;
}

function luma(rgb: Uint8Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = 0.299 * rgb[j] + 0.587 * rgb[j + 1] + 0.114 * rgb[j + 2];
  return out;
}

function gaussianKernel(): Float64Array {
  const k = new Float64Array(2 * RADIUS + 1);
  for (let i = -RADIUS; i <= RADIUS; i++) k[i + RADIUS] = Math.exp(-(i * i) / (2 * SIGMA * SIGMA));
  return k;
}

/** Separable weighted mean; at borders only in-image taps count and their weights are renormalised. */
function filter(src: Float64Array, width: number, height: number, k: Float64Array): Float64Array {
  const tmp = new Float64Array(src.length);
  const out = new Float64Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let s = 0;
      let w = 0;
      const lo = Math.max(0, x - RADIUS);
      const hi = Math.min(width - 1, x + RADIUS);
      for (let t = lo; t <= hi; t++) {
        const kw = k[t - x + RADIUS];
        s += kw * src[row + t];
        w += kw;
      }
      tmp[row + x] = s / w;
    }
  }
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - RADIUS);
    const hi = Math.min(height - 1, y + RADIUS);
    for (let x = 0; x < width; x++) {
      let s = 0;
      let w = 0;
      for (let t = lo; t <= hi; t++) {
        const kw = k[t - y + RADIUS];
        s += kw * tmp[t * width + x];
        w += kw;
      }
      out[y * width + x] = s / w;
    }
  }
  return out;
}
