import { ssim } from '../../../src/eval/ssim';

const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

function grey(width: number, height: number, values: number[]): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  values.forEach((v, i) => out.fill(v, i * 3, i * 3 + 3));
  return out;
}

/** A direct, non-separable evaluation of the documented definition, for comparison. */
function referenceSsim(a: number[], b: number[], width: number, height: number): number {
  let total = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let w = 0;
      let ma = 0;
      let mb = 0;
      let aa = 0;
      let bb = 0;
      let ab = 0;
      for (let v = 0; v < height; v++) {
        for (let u = 0; u < width; u++) {
          if (Math.abs(u - x) > 5 || Math.abs(v - y) > 5) continue;
          const g = Math.exp(-((u - x) ** 2 + (v - y) ** 2) / (2 * 1.5 * 1.5));
          const pa = a[v * width + u];
          const pb = b[v * width + u];
          w += g;
          ma += g * pa;
          mb += g * pb;
          aa += g * pa * pa;
          bb += g * pb * pb;
          ab += g * pa * pb;
        }
      }
      ma /= w;
      mb /= w;
      const va = aa / w - ma * ma;
      const vb = bb / w - mb * mb;
      const cov = ab / w - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
    }
  }
  return total / (width * height);
}

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const image = grey(3, 3, [0, 50, 100, 150, 200, 250, 30, 60, 90]);
    expect(ssim(image, image, 3, 3)).toBeCloseTo(1, 12);
  });

  it('reduces to the luminance term for two flat images', () => {
    // No variance: SSIM = (2 m1 m2 + C1) / (m1^2 + m2^2 + C1).
    const expected = (2 * 100 * 150 + C1) / (100 * 100 + 150 * 150 + C1);
    expect(ssim(grey(2, 2, [100, 100, 100, 100]), grey(2, 2, [150, 150, 150, 150]), 2, 2)).toBeCloseTo(expected, 12);
  });

  it('computes on BT.601 luma', () => {
    // Pure red (luma 0.299*255) against a grey of the same luma: no structural or luminance difference.
    const red = new Uint8Array(12);
    for (let i = 0; i < 4; i++) red[i * 3] = 255;
    const lumaGrey = new Uint8Array(12);
    for (let i = 0; i < 12; i++) lumaGrey[i] = 0.299 * 255;
    const expectedLuma = Math.floor(0.299 * 255);
    const m1 = 0.299 * 255;
    const expected = (2 * m1 * expectedLuma + C1) / (m1 * m1 + expectedLuma * expectedLuma + C1);
    expect(ssim(red, lumaGrey, 2, 2)).toBeCloseTo(expected, 10);
  });

  it('matches a direct evaluation of the windowed definition on small images', () => {
    const a = [12, 200, 37, 90, 250, 3, 77, 140, 160, 61, 18, 222, 99, 45, 180, 5];
    const b = [20, 190, 60, 80, 240, 30, 70, 150, 100, 70, 30, 210, 120, 40, 170, 25];
    expect(ssim(grey(4, 4, a), grey(4, 4, b), 4, 4)).toBeCloseTo(referenceSsim(a, b, 4, 4), 10);
    const inverted = a.map((v) => 255 - v);
    const score = ssim(grey(4, 4, a), grey(4, 4, inverted), 4, 4);
    expect(score).toBeCloseTo(referenceSsim(a, inverted, 4, 4), 10);
    expect(score).toBeLessThan(0);
  });

  it('matches the direct evaluation on an image larger than the window', () => {
    const w = 14;
    const h = 13;
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < w * h; i++) {
      a.push((i * 37) % 256);
      b.push(((i * 37) % 256 + ((i * 11) % 41) - 20 + 256) % 256);
    }
    expect(ssim(grey(w, h, a), grey(w, h, b), w, h)).toBeCloseTo(referenceSsim(a, b, w, h), 9);
  });

  it('falls as noise grows', () => {
    const w = 16;
    const a: number[] = [];
    for (let i = 0; i < w * w; i++) a.push(((i % w) * 16 + Math.floor(i / w) * 4) % 256);
    const noisy = (amp: number): number[] => a.map((v, i) => Math.max(0, Math.min(255, v + (((i * 7919) % 13) - 6) * amp)));
    const s1 = ssim(grey(w, w, a), grey(w, w, noisy(1)), w, w);
    const s4 = ssim(grey(w, w, a), grey(w, w, noisy(4)), w, w);
    expect(s1).toBeLessThan(1);
    expect(s4).toBeLessThan(s1);
  });
});
