import { blur, softenLight } from '../../../../src/data/synth/blur';

describe('blur', () => {
  it('keeps a flat image flat and spreads an impulse without losing its energy', () => {
    const flat = new Float32Array(20 * 10 * 3).fill(0.4);
    for (const v of blur(flat, 20, 10, 3, 2)) expect(v).toBeCloseTo(0.4, 5);
    const impulse = new Float32Array(31 * 31);
    impulse[15 * 31 + 15] = 1;
    const out = blur(impulse, 31, 31, 1, 2);
    const total = out.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 4);
    expect(out[15 * 31 + 15]).toBeLessThan(0.1);
    expect(out[15 * 31 + 15]).toBeGreaterThan(out[15 * 31 + 18]);
    // Symmetric in x and y.
    expect(out[15 * 31 + 17]).toBeCloseTo(out[17 * 31 + 15], 6);
    // Variance near sigma^2 = 4 (box radii are whole pixels, so only roughly).
    let variance = 0;
    for (let x = 0; x < 31; x++) for (let y = 0; y < 31; y++) variance += out[y * 31 + x] * (x - 15) ** 2;
    expect(variance).toBeGreaterThan(2.5);
    expect(variance).toBeLessThan(8);
  });

  it('keeps energy and spread when a wide blur runs at half resolution', () => {
    const n = 64;
    const impulse = new Float32Array(n * n);
    // A 2x2 block, so the half-resolution path sees it whole.
    for (const [x, y] of [[32, 32], [33, 32], [32, 33], [33, 33]]) impulse[y * n + x] = 0.25;
    const out = blur(impulse, n, n, 1, 4);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    let variance = 0;
    for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) variance += out[y * n + x] * (x - 32.5) ** 2;
    // Near sigma^2 = 16 (whole-pixel box radii at half resolution).
    expect(variance).toBeGreaterThan(10);
    expect(variance).toBeLessThan(32);
    const flat = new Float32Array(n * n * 3).fill(0.7);
    for (const v of blur(flat, n, n, 3, 5)) expect(v).toBeCloseTo(0.7, 5);
  });

  it('returns a copy for a tiny sigma', () => {
    const a = Float32Array.from([0, 1, 0, 1]);
    const b = blur(a, 2, 2, 1, 0.1);
    expect(Array.from(b)).toEqual([0, 1, 0, 1]);
    expect(b).not.toBe(a);
  });
});

describe('softenLight', () => {
  it('applies a [1 2 1]/4 kernel mixed by amount', () => {
    const a = Float32Array.from([0, 0, 4, 0, 0]);
    expect(Array.from(softenLight(a, 5, 1, 1, 1))).toEqual([0, 1, 2, 1, 0]);
    expect(Array.from(softenLight(a, 5, 1, 1, 0.5))).toEqual([0, 0.5, 3, 0.5, 0]);
  });
});
