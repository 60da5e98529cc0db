import { augmentPair, sampleBatch, ImagePair } from '../../../src/drill/augment';
import { InvalidOptionError } from '../../../src/pipeline/errors';

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

describe('augmentPair with guide planes', () => {
  /** Guide planes that copy the input's red and green channels, so they can be compared with the RGB after augmenting. */
  function guidedPair(width: number, height: number): ImagePair {
    const pair = gradientPair(width, height);
    const red = new Uint8Array(width * height);
    const green = new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) {
      red[i] = pair.input[i * 3]!;
      green[i] = pair.input[i * 3 + 1]!;
    }
    return { ...pair, guides: [red, green] };
  }
  const channel = (rgb: Uint8Array, k: number) => Array.from(rgb.filter((_, i) => i % 3 === k));

  it.each([
    ['a zoom in, mirrored', [0.9, 0.3, 0.7, 0.1]],
    ['a zoom out past the edges', [0, 0.5, 0.5, 0.9]],
    ['a placed crop', [0.5, 0.2, 0.8, 0.6]],
  ])('transforms the guides exactly as the RGB: %s', (_what, draws) => {
    const pair = guidedPair(12, 10);
    const patch = augmentPair(pair, { cropSize: 6, scaleRange: [0.6, 1.8] }, fixed(draws));
    expect(patch.guides).toHaveLength(2);
    expect(Array.from(patch.guides![0]!)).toEqual(channel(patch.input, 0));
    expect(Array.from(patch.guides![1]!)).toEqual(channel(patch.input, 1));
  });

  it('draws the same random numbers with or without guides', () => {
    const guided = guidedPair(12, 10);
    const { guides: _, ...plain } = guided;
    const a = augmentPair(guided, { cropSize: 6 }, fixed([0.42, 0.17, 0.93, 0.3]));
    const b = augmentPair(plain, { cropSize: 6 }, fixed([0.42, 0.17, 0.93, 0.3]));
    expect(Array.from(a.input)).toEqual(Array.from(b.input));
    expect(b.guides).toBeUndefined();
  });
});

describe('sampleBatch with guide planes', () => {
  it('packs the guide patches count x guides x size x size beside the RGB', () => {
    const width = 8;
    const height = 8;
    const pair = gradientPair(width, height);
    const red = new Uint8Array(width * height).map((_, i) => pair.input[i * 3]!);
    const flat = new Uint8Array(width * height).fill(200);
    const batch = sampleBatch([{ ...pair, guides: [red, flat] }], 3, { cropSize: 4 }, fixed([0.1, 0.6, 0.3, 0.8, 0.2]));
    expect(batch.guides).toHaveLength(3 * 2 * 4 * 4);
    for (let n = 0; n < 3; n++) {
      const input = batch.inputs.subarray(n * 48, (n + 1) * 48);
      expect(Array.from(batch.guides!.subarray((n * 2 + 0) * 16, (n * 2 + 1) * 16))).toEqual(Array.from(input.filter((_, i) => i % 3 === 0)));
      expect(Array.from(batch.guides!.subarray((n * 2 + 1) * 16, (n * 2 + 2) * 16))).toEqual(new Array(16).fill(200));
    }
  });

  it('leaves guides out for pairs without them', () => {
    expect(sampleBatch([gradientPair(8, 8)], 1, { cropSize: 4 }, fixed([0.5])).guides).toBeUndefined();
  });

  it('refuses pairs with different numbers of guide planes, or planes of the wrong size', () => {
    const pair = gradientPair(8, 8);
    const plane = new Uint8Array(64);
    expect(() => sampleBatch([{ ...pair, guides: [plane] }, pair], 1, { cropSize: 4 }, fixed([0.5]))).toThrow(
      new InvalidOptionError('Expected every training pair to carry the same number of guide planes but received 0 and 1'),
    );
    let err: unknown;
    try {
      sampleBatch([{ ...pair, guides: [new Uint8Array(10)] }], 1, { cropSize: 4 }, fixed([0.5]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).code).toBe('INVALID_OPTION');
    expect((err as InvalidOptionError).message).toBe('Expected 64 bytes (8x8) for guide plane 0 of training pair 0 but received 10');
  });
});

describe('loss weights', () => {
  it('transform exactly as the RGB, and a batch gives full weight to pairs without them', () => {
    const pair = gradientPair(12, 10);
    const blue = new Uint8Array(12 * 10);
    for (let i = 0; i < blue.length; i++) blue[i] = pair.input[i * 3 + 2]!;
    const draws = [0.9, 0.3, 0.7, 0.1];
    const patch = augmentPair({ ...pair, weights: blue }, { cropSize: 6, scaleRange: [0.6, 1.8] }, fixed(draws));
    expect(Array.from(patch.weights!)).toEqual(Array.from(patch.input.filter((_, i) => i % 3 === 2)));
    // One pair with weights, one without: the batch carries weights, 255 for the second pair's patches.
    const batch = sampleBatch([{ ...pair, weights: new Uint8Array(120) }, gradientPair(12, 10)], 2, { cropSize: 4, flip: false }, fixed([0.1, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5]));
    expect(batch.weights).toHaveLength(2 * 16);
    expect(Array.from(batch.weights!.subarray(0, 16))).toEqual(new Array(16).fill(0));
    expect(Array.from(batch.weights!.subarray(16))).toEqual(new Array(16).fill(255));
    expect(sampleBatch([gradientPair(8, 8)], 1, { cropSize: 4 }, fixed([0.1, 0.5, 0.5, 0.5])).weights).toBeUndefined();
  });
});

describe('mattes', () => {
  it('transform exactly as the RGB, and a batch marks nothing for pairs without one', () => {
    const pair = gradientPair(12, 10);
    const red = new Uint8Array(12 * 10);
    for (let i = 0; i < red.length; i++) red[i] = pair.input[i * 3]!;
    const patch = augmentPair({ ...pair, matte: red }, { cropSize: 6, scaleRange: [0.6, 1.8] }, fixed([0.9, 0.3, 0.7, 0.1]));
    expect(Array.from(patch.matte!)).toEqual(Array.from(patch.input.filter((_, i) => i % 3 === 0)));
    // One pair with a matte, one without: the batch carries mattes, 0 (nothing marked) for the second pair's patches.
    const batch = sampleBatch([{ ...pair, matte: new Uint8Array(120).fill(255) }, gradientPair(12, 10)], 2, { cropSize: 4, flip: false }, fixed([0.1, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5]));
    expect(batch.mattes).toHaveLength(2 * 16);
    expect(Array.from(batch.mattes!.subarray(0, 16))).toEqual(new Array(16).fill(255));
    expect(Array.from(batch.mattes!.subarray(16))).toEqual(new Array(16).fill(0));
    expect(sampleBatch([gradientPair(8, 8)], 1, { cropSize: 4 }, fixed([0.1, 0.5, 0.5, 0.5])).mattes).toBeUndefined();
  });
});
