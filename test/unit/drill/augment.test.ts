import { augmentPair, sampleBatch, ImagePair } from '../../../src/drill/augment';

function gradientPair(width: number, height: number): ImagePair {
  const input = new Uint8Array(width * height * 3);
  const target = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      input[o] = x * 10;
      input[o + 1] = y * 10;
      input[o + 2] = 7;
      target[o] = 255 - x * 10;
      target[o + 1] = 255 - y * 10;
      target[o + 2] = 9;
    }
  return { input, target, width, height };
}

function fixed(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('augmentPair', () => {
  const pair = gradientPair(8, 8);

  it('returns the pair itself at scale 1 without flip when the crop is the whole frame', () => {
    const patch = augmentPair(pair, { cropSize: 8, scaleRange: [1, 1], flip: false }, fixed([0.3]));
    expect(Array.from(patch.input)).toEqual(Array.from(pair.input));
    expect(Array.from(patch.target)).toEqual(Array.from(pair.target));
  });

  it('cuts the same window from input and target', () => {
    // scale 1, x at 0.5*(8-4)=2, y at 1.0*(8-4)=4, no mirror (0.9 >= 0.5)
    const patch = augmentPair(pair, { cropSize: 4, scaleRange: [1, 1] }, fixed([0, 0.5, 1, 0.9]));
    expect(patch.input[0]).toBe(20); // x = 2
    expect(patch.input[1]).toBe(40); // y = 4
    expect(patch.target[0]).toBe(255 - 20);
    expect(patch.target[1]).toBe(255 - 40);
  });

  it('mirrors input and target together', () => {
    const patch = augmentPair(pair, { cropSize: 8, scaleRange: [1, 1] }, fixed([0, 0, 0, 0.1]));
    expect(patch.input[0]).toBe(70); // leftmost column now holds x = 7
    expect(patch.target[0]).toBe(255 - 70);
    expect(patch.input[7 * 3]).toBe(0);
  });

  it('zooms in with bilinear interpolation', () => {
    // scale 2: output pixel i samples source x = (i + 0.5) / 2 - 0.5, clamped at 0; red = 10 * x
    const patch = augmentPair(pair, { cropSize: 8, scaleRange: [2, 2], flip: false }, fixed([0, 0, 0]));
    const reds = Array.from({ length: 8 }, (_, i) => patch.input[i * 3]);
    expect(reds).toEqual([0, 3, 8, 13, 18, 23, 28, 33]);
  });

  it('replicates the border when zooming out past the frame', () => {
    const patch = augmentPair(pair, { cropSize: 8, scaleRange: [0.5, 0.5], flip: false }, fixed([0, 0, 0]));
    expect(patch.input[0]).toBe(0);
    expect(patch.input[7 * 3]).toBe(70);
  });
});

describe('sampleBatch', () => {
  it('packs count patches of cropSize', () => {
    const pairs = [gradientPair(8, 8), gradientPair(10, 9)];
    const batch = sampleBatch(pairs, 3, { cropSize: 4 }, fixed([0.1, 0.7, 0.2, 0.4, 0.6, 0.3]));
    expect(batch).toMatchObject({ count: 3, height: 4, width: 4 });
    expect(batch.inputs.length).toBe(3 * 4 * 4 * 3);
    expect(batch.targets.length).toBe(batch.inputs.length);
  });
});
