import { decontaminateEdges } from '../../../src/stages/decontaminate-edges';
import { trimmedAlpha } from '../../../src/stages/trim-white-edges';

const W = 24;
const H = 8;

/** A dark subject (rows 0-3) over background (rows 4-7); `border` paints row 3 as its white composite shows it. */
function scene(border: number[]): { rgb: Uint8Array; alpha: Uint8Array } {
  const rgb = new Uint8Array(W * H * 3).fill(255);
  const alpha = new Uint8Array(W * H);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      alpha[p] = 255;
      rgb.set(y === 3 ? border : [40, 30, 20], p * 3);
    }
  }
  return { rgb, alpha };
}

describe('trimmedAlpha', () => {
  it('makes a border painted white (opaque, but white) transparent: no white line over black', () => {
    const { rgb, alpha } = scene([255, 255, 255]);
    const out = trimmedAlpha(rgb, alpha, W, H, 2, 6);
    expect(out[3 * W + 5]).toBe(0);
    expect(out[1 * W + 5]).toBe(255); // the inside, beyond the band, keeps its alpha
  });

  it('keeps the alpha of a border whose colour is the subject', () => {
    const { rgb, alpha } = scene([40, 30, 20]);
    expect([...trimmedAlpha(rgb, alpha, W, H, 2, 6)]).toEqual([...alpha]);
  });
});

describe('decontaminateEdges', () => {
  it('moves a soft edge pixel toward the inside colour in proportion to its transparency', () => {
    const { alpha } = scene([40, 30, 20]);
    const fg = new Uint8Array(W * H * 3);
    for (let p = 0; p < W * H; p++) fg.set([40, 30, 20], p * 3);
    const p = 3 * W + 5;
    alpha[p] = 51; // a = 0.2
    fg.set([240, 230, 220], p * 3); // the old pale wall
    const out = decontaminateEdges(fg, alpha, W, H, 6);
    expect([...out.subarray(p * 3, p * 3 + 3)]).toEqual([80, 70, 60]);
  });
});
