import { fillFromNeighbours, tileField } from '../../../src/patch/tile-field';

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

describe('fillFromNeighbours', () => {
  it('gives unknown tiles the mean of their known neighbours, ring after ring outward', () => {
    // 4 x 1 tiles: known 2 and 6 at the ends; the inner ones each see one known neighbour first.
    const x = Float64Array.from([2, 0, 0, 6]), y = Float64Array.from([1, 9, 9, 3]);
    fillFromNeighbours(x, y, Uint8Array.from([1, 0, 0, 1]), 4, 1);
    expect([...x]).toEqual([2, 2, 6, 6]);
    expect([...y]).toEqual([1, 1, 3, 3]);
    // One known tile at a corner of 3 x 3: the next ring takes it, and the ring after that the next.
    const a = new Float64Array(9), b = new Float64Array(9);
    a[0] = 4;
    fillFromNeighbours(a, b, Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0]), 3, 3);
    expect([...a]).toEqual(new Array(9).fill(4));
  });

  it('changes nothing when no tile is known', () => {
    const x = Float64Array.from([1, 2, 3]), y = Float64Array.from([4, 5, 6]);
    fillFromNeighbours(x, y, new Uint8Array(3), 3, 1);
    expect([...x, ...y]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
