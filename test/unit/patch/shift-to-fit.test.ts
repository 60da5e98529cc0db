import { shiftToFit } from '../../../src/patch/shift-to-fit';

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
    const inFit = (x: number, y: number) => x > 20 && x < 100 && y > 20 && y < 100 && (x < 40 || x > 80);
    // Moved only on the pixels to fit: a fit over every pixel would keep the mapping.
    const frame = frameOf(picture, 2, -3, inFit);
    const placed = shiftToFit(frame, picture, size, size, identity(), pixels(inFit), { tile: 40, least: 400 });
    expect(shiftAt(placed, 60, 60)).toEqual([2, -3]);
    expect(shiftAt(placed, 5, 110)).toEqual([2, -3]);
  });

  it('gives a tile with enough pixels in its surroundings its own shift', () => {
    const picture = texture(5);
    // The left half moved 3 px right, the right half 1 px down.
    const frame = frameOf(frameOf(picture, 3, 0, (x) => x < 60), 0, 1, (x) => x >= 60);
    const fit = pixels((x, y) => y >= 40 && y < 80 && (x < 20 || x >= 100));
    const placed = shiftToFit(frame, picture, size, size, identity(), fit, { tile: 40, least: 400 });
    expect(shiftAt(placed, 10, 60)).toEqual([3, 0]);
    expect(shiftAt(placed, 110, 60)).toEqual([0, 1]);
    // When no tile has `least` pixels in its surroundings, every tile takes the overall shift.
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
    const up = shiftToFit(frameOf(picture, -3, -3, () => true), picture, size, size, identity(), pixels((x, y) => x > 30 && y > 30));
    expect(shiftAt(up, 60, 60)).toEqual([-3, -3]);
    expect([up[5], up[5 * size]]).toEqual([2, 2 * size]);
    const down = shiftToFit(frameOf(picture, 3, 3, () => true), picture, size, size, identity(), pixels((x, y) => x < 90 && y < 90));
    expect(shiftAt(down, 60, 60)).toEqual([3, 3]);
    expect([down[size * size - 1], down[size * size - 6]]).toEqual([size * size - 1, size * size - 3]);
  });

  it("fits each tile over its surroundings exactly: the tile widened by half a side on each side", () => {
    // 40 px tiles; the middle tile's surroundings are x and y 20-99. Within rows 40-79, columns 20 and 99
    // (80 px) show the picture moved 1 px right and 70 px inside it 1 px down; columns 19 and 100, just
    // outside, also 1 px down. One column too many or too few on either side turns the middle tile's fit.
    const picture = texture(13);
    const rows = (y: number) => y >= 40 && y < 80;
    const right = (x: number, y: number) => rows(y) && (x === 20 || x === 99);
    const down = (x: number, y: number) => rows(y) && (x === 19 || x === 100 || x === 60 || (x === 61 && y < 70));
    const frame = frameOf(frameOf(picture, 1, 0, right), 0, 1, down);
    const placed = shiftToFit(frame, picture, size, size, identity(), pixels((x, y) => right(x, y) || down(x, y)), { tile: 40, least: 50 });
    expect(shiftAt(placed, 60, 60)).toEqual([1, 0]);
  });
});
