import { editMatte } from '../../../src/guides/edit-matte';

const W = 12;
const H = 10;

/** An RGB image of W x H painted by a function of (x, y) returning a grey level. */
function paint(grey: (x: number, y: number) => number): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) rgb.fill(grey(x, y), (y * W + x) * 3, (y * W + x) * 3 + 3);
  return rgb;
}

/** A plane of W x H bytes from a function of (x, y). */
function plane(value: (x: number, y: number) => number): Uint8Array {
  return Uint8Array.from({ length: W * H }, (_, p) => value(p % W, Math.floor(p / W)));
}

// A dark subject (x 3 … 8, y 2 … 9, touching the bottom edge) over a grey background the edit erased.
const subject = (x: number, y: number) => x >= 3 && x <= 8 && y >= 2;
// Teeth: white, inside the subject. A shirt: white, running to the bottom edge.
const teeth = (x: number, y: number) => x >= 5 && x <= 6 && y === 4;
const shirt = (x: number, y: number) => x >= 5 && x <= 6 && y >= 7;

describe('editMatte', () => {
  const frame = paint((x, y) => (teeth(x, y) || shirt(x, y) ? 250 : subject(x, y) ? 40 : 120));
  const edit = paint((x, y) => (teeth(x, y) || shirt(x, y) ? 250 : subject(x, y) ? 40 : 255));

  it('keeps white inside the subject (teeth) as subject, where the non-white region alone loses it', () => {
    const matte = editMatte(edit, frame, W, H);
    expect(matte[4 * W + 5]).toBe(255);
    expect(matte[4 * W + 6]).toBe(255);
    expect(matte[0]).toBe(0); // erased background
    expect(matte[3 * W + 4]).toBe(255); // the dark subject
  });

  it('lets the person prior decide white that reaches the edge (a shirt), and leaves it background without one', () => {
    expect(editMatte(edit, frame, W, H)[9 * W + 5]).toBe(0);
    const person = plane((x, y) => (subject(x, y) ? 230 : 10));
    expect(editMatte(edit, frame, W, H, person)[9 * W + 5]).toBe(255);
    const nobody = plane(() => 10);
    expect(editMatte(edit, frame, W, H, nobody)[9 * W + 5]).toBe(0);
  });

  it('keeps a white wall that nobody had to erase as background', () => {
    // The frame's background is already white: the edit changes nothing there.
    const onWhite = paint((x, y) => (subject(x, y) ? 40 : 250));
    const matte = editMatte(onWhite, onWhite, W, H, plane((x, y) => (subject(x, y) ? 230 : 10)));
    expect(matte[0]).toBe(0);
    expect(matte[1 * W + 11]).toBe(0);
    expect(matte[5 * W + 4]).toBe(255);
  });

  it('turns white enclosed by the subject to background when the prior is sure nobody is there', () => {
    const matte = editMatte(edit, frame, W, H, plane((x, y) => (teeth(x, y) ? 20 : subject(x, y) ? 230 : 10)));
    expect(matte[4 * W + 5]).toBe(0);
  });

  it('refuses a prior of another size', () => {
    expect(() => editMatte(edit, frame, W, H, new Uint8Array(3))).toThrow(/editMatte prior/);
  });
});
