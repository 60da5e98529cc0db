/** PSNR of two RGB24 images over the pixels where `mask` is at least 128 (NaN when none is), capped at 60 dB. */
export function maskedPsnr(a: Uint8Array, b: Uint8Array, mask: Uint8Array): number {
  let sum = 0, n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]! < 128) continue;
    for (let c = 0; c < 3; c++) {
      const d = a[p * 3 + c]! - b[p * 3 + c]!;
      sum += d * d;
      n++;
    }
  }
  return n === 0 ? NaN : Math.min(60, 10 * Math.log10((255 * 255) / Math.max(1e-9, sum / n)));
}
