import { close, dilate, erode, keepLargeComponents, labelComponents } from '../../../src/patch/binary-morphology';

/** The same operations, the slow obvious way. */
function naive(mask: Uint8Array, width: number, height: number, r: number, all: boolean): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let any = false, every = true;
      for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j++) {
        for (let i = Math.max(0, x - r); i <= Math.min(width - 1, x + r); i++) {
          if (mask[j * width + i]) any = true;
          else every = false;
        }
      }
      out[y * width + x] = (all ? every : any) ? 255 : 0;
    }
  }
  return out;
}

function randomMask(width: number, height: number, seed: number, density: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: width * height }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff < density ? 255 : 0;
  });
}

describe('binary morphology', () => {
  it.each([0, 1, 3, 8])('dilates and erodes as the naive box filter does (r = %i)', (r) => {
    for (const [width, height, density] of [[23, 17, 0.1], [9, 31, 0.8], [5, 4, 0.5]] as const) {
      const mask = randomMask(width, height, r * 7 + width, density);
      expect(dilate(mask, width, height, r)).toEqual(naive(mask, width, height, r, false));
      expect(erode(mask, width, height, r)).toEqual(naive(mask, width, height, r, true));
    }
  });

  it('closes a gap narrower than the box and leaves a wider one', () => {
    const width = 20, height = 5;
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (x < 6 || (x > 7 && x < 12) || x > 16) mask[y * width + x] = 255;
    const closed = close(mask, width, height, 1);
    expect([6, 7].map((x) => closed[2 * width + x])).toEqual([255, 255]);
    expect([12, 13, 14, 15, 16].map((x) => closed[2 * width + x])).toEqual([0, 0, 0, 0, 0]);
  });

  it('labels components through edges, and through corners only when asked', () => {
    // 1 1 0 0
    // 0 0 1 0
    // 0 0 0 0
    // 1 0 0 1
    const mask = Uint8Array.from([1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
    const four = labelComponents(mask, 4);
    expect(four.sizes).toEqual([2, 1, 1, 1]);
    expect([...four.label]).toEqual([0, 0, -1, -1, -1, -1, 1, -1, -1, -1, -1, -1, 2, -1, -1, 3]);
    const eight = labelComponents(mask, 4, true);
    expect(eight.sizes).toEqual([3, 1, 1]);
    expect(eight.label[6]).toBe(eight.label[0]);
    // No step wraps around a row's end: the last pixel of a row and the first of the next are apart
    // (an edge step), and so are the last of a row and the first of the row after next's up-left (a corner step).
    expect(labelComponents(Uint8Array.from([0, 0, 1, 1, 0, 0]), 3).sizes).toEqual([1, 1]);
    expect(labelComponents(Uint8Array.from([0, 0, 1, 1, 0, 0]), 3, true).sizes).toEqual([1, 1]);
    expect(labelComponents(Uint8Array.from([0, 0, 1, 0, 0, 0, 1, 0, 0]), 3, true).sizes).toEqual([1, 1]);
    expect(labelComponents(Uint8Array.from([1, 0, 0, 0, 0, 1]), 3, true).sizes).toEqual([1, 1]);
  });

  it('keeps the components of at least a share of the largest', () => {
    const mask = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1]);
    expect(keepLargeComponents(mask, 4, 0.5)).toBe(5);
    expect([...mask]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(keepLargeComponents(mask, 4, 1)).toBe(3);
    expect([...mask]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
