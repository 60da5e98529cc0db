import { makeFrame, withPixels } from '../../../src/pipeline/frame';

describe('withPixels', () => {
  const rgb = (w: number, h: number, v = 0) => new Uint8Array(w * h * 3).fill(v);
  const alpha = new Uint8Array([255, 0, 128, 7]);
  const prior = new Uint8Array([1, 2, 3, 4]);
  const frame = makeFrame(3, 0.3, 2, 2, rgb(2, 2), { alpha, guides: { 'person-prior': prior } });

  it('carries alpha and guide planes while the size stays the same', () => {
    const next = withPixels(frame, rgb(2, 2, 9));
    expect(next.alpha).toBe(alpha);
    expect(next.guides).toEqual({ 'person-prior': prior });
    expect(Object.isFrozen(next)).toBe(true);
    expect(Object.isFrozen(next.guides)).toBe(true);
  });

  it('replaces or drops a plane named in planes', () => {
    const other = new Uint8Array(4).fill(9);
    expect(withPixels(frame, rgb(2, 2), 2, 2, { alpha: other }).alpha).toBe(other);
    const dropped = withPixels(frame, rgb(2, 2), 2, 2, { alpha: undefined });
    expect(dropped.alpha).toBeUndefined();
    expect(dropped.guides).toEqual({ 'person-prior': prior });
  });

  it('drops planes that no longer fit when the size changes', () => {
    const smaller = withPixels(frame, rgb(1, 1), 1, 1);
    expect(smaller.alpha).toBeUndefined();
    expect(smaller.guides).toBeUndefined();
    expect('alpha' in smaller).toBe(false);
  });

  it('refuses planes of the wrong size', () => {
    expect(() => makeFrame(0, 0, 2, 2, rgb(2, 2), { alpha: new Uint8Array(3) })).toThrow(
      new RangeError('Frame 0: expected 4 bytes for the 2x2 alpha plane but got 3'),
    );
    expect(() => makeFrame(5, 0, 2, 2, rgb(2, 2), { guides: { 'flow-alpha': new Uint8Array(5) } })).toThrow(
      new RangeError('Frame 5: expected 4 bytes for the 2x2 guide flow-alpha plane but got 5'),
    );
  });
});
