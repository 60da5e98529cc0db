/**
 * Approximately Gaussian blur of an interleaved float image: three passes of a separable box blur
 * (running sums, edges clamped), so the cost does not grow with the radius; from σ = 3 px it works
 * at half resolution. Returns a new array; `sigma` below 0.3 returns a copy.
 *
 * @example
 * const soft = blur(rgb, 400, 400, 3, 2.5);
 */
export function blur(src: Float32Array, width: number, height: number, channels: number, sigma: number): Float32Array {
  if (sigma < 0.3) return src.slice();
  // A wide blur loses nothing at half resolution: blur there and interpolate back, 4x cheaper.
  if (sigma >= 3 && width >= 16 && height >= 16) {
    const w = width >> 1;
    const h = height >> 1;
    return upsample(boxBlur3(downsample(src, width, height, channels), w, h, channels, sigma / 2), w, h, channels, width, height);
  }
  return boxBlur3(src, width, height, channels, sigma);
}

/** Three box passes in each direction at full resolution. */
function boxBlur3(src: Float32Array, width: number, height: number, channels: number, sigma: number): Float32Array {
  // Three box passes of radius r have variance r(r+1); pick r so that matches sigma^2.
  const r = Math.max(1, Math.round((-1 + Math.sqrt(1 + 4 * sigma * sigma)) / 2));
  const a = src.slice();
  const b = new Float32Array(src.length);
  for (let pass = 0; pass < 3; pass++) {
    boxRows(a, b, width, height, channels, r);
    boxColumns(b, a, width, height, channels, r);
  }
  return a;
}

/** Halves the size by averaging 2x2 blocks (an odd last row or column is dropped). */
function downsample(src: Float32Array, width: number, height: number, channels: number): Float32Array {
  const w = width >> 1;
  const h = height >> 1;
  const out = new Float32Array(w * h * channels);
  const row = width * channels;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = (2 * y * width + 2 * x) * channels;
      const o = (y * w + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = 0.25 * (src[a + c] + src[a + channels + c] + src[a + row + c] + src[a + row + channels + c]);
    }
  }
  return out;
}

/** Bilinear upsampling of a half-size image back to `width` x `height` (pixel centres aligned). */
function upsample(src: Float32Array, w: number, h: number, channels: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const top = src[(y0 * w + x0) * channels + c] * (1 - tx) + src[(y0 * w + x1) * channels + c] * tx;
        const bottom = src[(y1 * w + x0) * channels + c] * (1 - tx) + src[(y1 * w + x1) * channels + c] * tx;
        out[o + c] = top * (1 - ty) + bottom * ty;
      }
    }
  }
  return out;
}

/** Box blur along rows, edges clamped; the running sums run over the interleaved values. */
function boxRows(src: Float32Array, dst: Float32Array, width: number, height: number, channels: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const sums = new Float64Array(channels);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    const lastPx = row + (width - 1) * channels;
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += src[row + Math.min(width - 1, Math.max(0, k)) * channels + c];
      sums[c] = s;
    }
    if (channels === 3) {
      let s0 = sums[0];
      let s1 = sums[1];
      let s2 = sums[2];
      for (let x = 0; x < width; x++) {
        const out = row + x * 3;
        dst[out] = s0 * inv;
        dst[out + 1] = s1 * inv;
        dst[out + 2] = s2 * inv;
        const add = x + r + 1 < width ? row + (x + r + 1) * 3 : lastPx;
        const sub = x - r > 0 ? row + (x - r) * 3 : row;
        s0 += src[add] - src[sub];
        s1 += src[add + 1] - src[sub + 1];
        s2 += src[add + 2] - src[sub + 2];
      }
    } else {
      for (let x = 0; x < width; x++) {
        const out = row + x * channels;
        const add = x + r + 1 < width ? row + (x + r + 1) * channels : lastPx;
        const sub = x - r > 0 ? row + (x - r) * channels : row;
        for (let c = 0; c < channels; c++) {
          dst[out + c] = sums[c] * inv;
          sums[c] += src[add + c] - src[sub + c];
        }
      }
    }
  }
}

/** Box blur along columns, edges clamped, walking rows in memory order with one sum per value. */
function boxColumns(src: Float32Array, dst: Float32Array, width: number, height: number, channels: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const stride = width * channels;
  const sums = new Float64Array(stride);
  for (let k = -r; k <= r; k++) {
    const row = Math.min(height - 1, Math.max(0, k)) * stride;
    for (let i = 0; i < stride; i++) sums[i] += src[row + i];
  }
  const last = (height - 1) * stride;
  for (let y = 0; y < height; y++) {
    const out = y * stride;
    const add = y + r + 1 < height ? (y + r + 1) * stride : last;
    const sub = y - r > 0 ? (y - r) * stride : 0;
    for (let i = 0; i < stride; i++) {
      dst[out + i] = sums[i] * inv;
      sums[i] += src[add + i] - src[sub + i];
    }
  }
}

/**
 * A light 3x3 blur ([1 2 1]/4 in each direction, σ ≈ 0.7 px) mixed with the original by `amount`
 * (0 = none, 1 = full): the softness of a real lens and of video compression.
 *
 * @example
 * const softened = softenLight(rgb, 400, 400, 3, 0.6);
 */
export function softenLight(src: Float32Array, width: number, height: number, channels: number, amount: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const row = width * channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l = x > 0 ? -channels : 0;
      const r = x < width - 1 ? channels : 0;
      for (let c = 0; c < channels; c++) {
        const i = y * row + x * channels + c;
        tmp[i] = 0.25 * src[i + l] + 0.5 * src[i] + 0.25 * src[i + r];
      }
    }
  }
  for (let y = 0; y < height; y++) {
    const u = y > 0 ? -row : 0;
    const d = y < height - 1 ? row : 0;
    for (let i = y * row; i < (y + 1) * row; i++) {
      const b = 0.25 * tmp[i + u] + 0.5 * tmp[i] + 0.25 * tmp[i + d];
      out[i] = src[i] + (b - src[i]) * amount;
    }
  }
  return out;
}
