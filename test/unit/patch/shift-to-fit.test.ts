import { shiftToFit } from '../../../src/patch/shift-to-fit';
import { tileField } from '../../../src/patch/tile-field';

const size = 120;

/** A textured RGB picture: no two nearby pixels alike. */
function texture(seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: size * size * 3 }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % 256;
  });
}

/** The frame showing `picture` moved by (dx, dy) where `moved(x, y)`, as it is elsewhere. */
function frameOf(picture: Uint8Array, dx: number, dy: number, moved: (x: number, y: number) => boolean): Uint8Array {
  const frame = Uint8Array.from(picture);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!moved(x, y)) continue;
      const sx = Math.min(size - 1, Math.max(0, x + dx)), sy = Math.min(size - 1, Math.max(0, y + dy));
      frame.set(picture.subarray((sy * size + sx) * 3, (sy * size + sx) * 3 + 3), (y * size + x) * 3);
    }
  }
  return frame;
}

const identity = () => Int32Array.from({ length: size * size }, (_, q) => q);
const pixels = (keep: (x: number, y: number) => boolean) => Int32Array.from(identity().filter((q) => keep(q % size, Math.floor(q / size))));
const shiftAt = (source: Int32Array, x: number, y: number) => [(source[y * size + x]! % size) - x, Math.floor(source[y * size + x]! / size) - y];

describe('shiftToFit', () => {
  it('finds the shift that places the picture on the frame, over the pixels it fits', () => {
    const picture = texture(3);
    const frame = frameOf(picture, 2, -3, () => true);
    const placed = shiftToFit(frame, picture, size, size, identity(), pixels((x, y) => x > 20 && x < 100 && y > 20 && y < 100 && (x < 40 || x > 80)), { tile: 40, least: 400 });
    expect(shiftAt(placed, 60, 60)).toEqual([2, -3]);
    expect(shiftAt(placed, 5, 110)).toEqual([2, -3]);
  });

  it('gives a tile with enough pixels around it its own shift, and the others the overall one', () => {
    const picture = texture(5);
    // The left half moved 3 px right, the right half 1 px down.
    const frame = frameOf(frameOf(picture, 3, 0, (x) => x < 60), 0, 1, (x) => x >= 60);
    const fit = pixels((x, y) => y >= 40 && y < 80 && (x < 20 || x >= 100));
    const placed = shiftToFit(frame, picture, size, size, identity(), fit, { tile: 40, least: 400 });
    expect(shiftAt(placed, 10, 60)).toEqual([3, 0]);
    expect(shiftAt(placed, 110, 60)).toEqual([0, 1]);
    // Where only a few of the pixels lie (fewer than `least` within the tile's reach), the overall shift holds.
    const sparse = shiftToFit(frame, picture, size, size, identity(), fit, { tile: 40, least: 2000 });
    expect(shiftAt(sparse, 10, 60)).toEqual(shiftAt(sparse, 110, 60));
  });

  it('moves a tile with too few pixels around it as the tiles beside it, not as the whole', () => {
    const picture = texture(7);
    const frame = frameOf(frameOf(picture, 3, 0, (x) => x < 60), 0, 1, (x) => x >= 60);
    // 30 px tiles: the left band lies around the first column only, the wider right band (which
    // decides the overall shift) around the last; the two columns between have no pixels around them.
    const fit = pixels((x) => x < 10 || x >= 106);
    const placed = shiftToFit(frame, picture, size, size, identity(), fit, { tile: 30, least: 400 });
    expect(shiftAt(placed, 40, 60)).toEqual([3, 0]);
    expect(shiftAt(placed, 80, 60)).toEqual([0, 1]);
  });

  it('keeps the mapping where every shift fits alike (a plain area), and with nothing to fit', () => {
    const plain = new Uint8Array(size * size * 3).fill(128);
    const source = identity();
    expect(shiftToFit(plain, plain, size, size, source, pixels(() => true))).toEqual(source);
    expect(shiftToFit(texture(1), texture(2), size, size, source, new Int32Array(0))).toEqual(source);
  });

  it('stays inside the picture at its border', () => {
    const picture = texture(9);
    const placed = shiftToFit(frameOf(picture, -3, -3, () => true), picture, size, size, identity(), pixels((x, y) => x > 30 && y > 30));
    expect(Math.min(...placed)).toBe(0);
    expect(Math.max(...placed)).toBeLessThan(size * size);
  });
});

describe('tileField', () => {
  it('holds each value at its tile centre and blends between centres, held beyond the outer ones', () => {
    const field = tileField([0, 4], [2, 2], 2, 1, 10, 20, 10);
    const at = (x: number, y: number) => [field[2 * (y * 20 + x)], field[2 * (y * 20 + x) + 1]];
    expect(at(0, 0)).toEqual([0, 2]);
    expect(at(4, 5)[0]).toBeCloseTo(0);
    // Halfway between the centres (x 5 and 15: pixels 4.5 and 14.5) lies between pixels 9 and 10.
    expect(at(9, 5)[0]).toBeCloseTo(1.8);
    expect(at(10, 5)[0]).toBeCloseTo(2.2);
    expect(at(19, 9)).toEqual([4, 2]);
  });
});
