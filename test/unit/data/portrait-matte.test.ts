import { portraitMatte } from '../../../src/data/people/portrait-matte';

// A studio portrait 120x150: a light grey backdrop, a dark suit from row 110 down, and a head and neck
// whose skin is within a few grey levels of the backdrop (a pale face on a pale backdrop).
const W = 120;
const H = 150;
const inHead = (x: number, y: number) => ((x - 60) / 28) ** 2 + ((y - 60) / 35) ** 2 <= 1;
const inNeck = (x: number, y: number) => x >= 50 && x < 70 && y >= 90 && y < 110;
const inSuit = (x: number, y: number) => x >= 20 && x < 100 && y >= 110;
const person = (x: number, y: number) => inHead(x, y) || inNeck(x, y) || inSuit(x, y);

function portrait(): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const colour = inSuit(x, y) ? [30, 30, 40] : person(x, y) ? [206, 199, 196] : [200, 200, 201];
      rgb.set(colour, (y * W + x) * 3);
    }
  }
  return rgb;
}

/** The prior as MediaPipe gives it: sure over the person and a blob 3 px wider than its outline. */
function prior(): Uint8Array {
  const p = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let near = false;
      for (let dy = -3; dy <= 3 && !near; dy++) for (let dx = -3; dx <= 3 && !near; dx++) near = person(x + dx, y + dy);
      p[y * W + x] = near ? 255 : 0;
    }
  }
  return p;
}

describe('portraitMatte', () => {
  it('cuts a face as light as the backdrop out as backdrop when no prior is given', () => {
    const matte = portraitMatte(portrait(), W, H);
    expect(matte[60 * W + 60]).toBe(0);
    expect(matte[130 * W + 60]).toBe(255);
  });

  it('keeps the whole face where the prior is sure, and the backdrop around it', () => {
    const matte = portraitMatte(portrait(), W, H, prior());
    // Every pixel of the head and neck at least 4 px inside the prior's sure region is wholly person.
    let inside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (!person(x, y) || inSuit(x, y)) continue;
        let deep = true;
        for (let dy = -4; dy <= 4 && deep; dy++) for (let dx = -4; dx <= 4 && deep; dx++) deep = person(x + dx, y + dy);
        if (!deep) continue;
        inside++;
        expect(matte[y * W + x]).toBe(255);
      }
    }
    expect(inside).toBeGreaterThan(1500);
    expect(matte[130 * W + 60]).toBe(255);
    // The backdrop, beside the head and in the corners, stays backdrop.
    for (const [x, y] of [[5, 5], [115, 5], [10, 60], [110, 60], [5, 140]] as const) expect(matte[y * W + x]).toBe(0);
  });
});
