import { maskIoU } from '../../src/eval/mask-iou';
import { nonWhiteMask } from '../../src/eval/non-white-mask';
import { greyPlane } from '../../src/flow/grey-plane';
import { carryEdit, shownInPick } from '../../src/guides/carry-edit';

const S = 96;

/** A smooth random texture, the same for the same seed. */
function texture(seed: number): Float32Array {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const coarse = Array.from({ length: 13 * 13 }, rand);
  const out = new Float32Array(S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const gx = (x / S) * 12, gy = (y / S) * 12, x0 = Math.floor(gx), y0 = Math.floor(gy), fx = gx - x0, fy = gy - y0;
      const at = (i: number, j: number) => coarse[j * 13 + i]!;
      out[y * S + x] = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
    }
  }
  return out;
}

/** A frame: a background texture shifted by `bg` px, a textured square at x0..x0+32 (y 32..64). */
function frame(x0: number, bg: number): { rgb: Uint8Array; mask: Uint8Array } {
  const back = texture(7), front = texture(11);
  const rgb = new Uint8Array(S * S * 3), mask = new Uint8Array(S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const inside = x >= x0 && x < x0 + 32 && y >= 32 && y < 64;
      const v = inside ? 20 + 120 * front[y * S + (x - x0)]! : 100 + 130 * back[y * S + Math.min(S - 1, Math.max(0, x - bg))]!;
      rgb.fill(Math.round(v), (y * S + x) * 3, (y * S + x) * 3 + 3);
      if (inside) mask[y * S + x] = 255;
    }
  }
  return { rgb, mask };
}

function erased(rgb: Uint8Array, mask: Uint8Array): Uint8Array {
  const out = rgb.slice();
  for (let p = 0; p < mask.length; p++) if (!mask[p]) out.fill(255, p * 3, p * 3 + 3);
  return out;
}

describe('carryEdit', () => {
  it("carries a pick's erased background onto a frame where the subject moved, and keeps that frame's own picture on the subject", async () => {
    const pick = frame(30, 0), near = frame(34, 0);
    const carried = await carryEdit(
      { frame: pick.rgb, edit: erased(pick.rgb, pick.mask), grey: greyPlane(pick.rgb, S, S) },
      { frame: near.rgb, grey: greyPlane(near.rgb, S, S) },
      [pick.mask],
    );
    expect(carried).toBeDefined();
    const { target, planes, weights, agreement } = carried!;
    expect(maskIoU(nonWhiteMask(target, S, S), near.mask)).toBeGreaterThan(0.85);
    expect(maskIoU(planes[0]!, near.mask)).toBeGreaterThan(0.85);
    expect(agreement).toBeGreaterThan(0.85);
    // Inside the moved square (away from its edges) the target is the near frame's own picture.
    const p = (48 * S + 50) * 3;
    expect([...target.subarray(p, p + 3)]).toEqual([...near.rgb.subarray(p, p + 3)]);
    // With nothing hidden (a still background), nearly every pixel has its say.
    expect(weights.filter((w) => w === 255).length / weights.length).toBeGreaterThan(0.9);
  });

  it('carries nothing through a cut', async () => {
    const pick = frame(30, 0);
    const other = new Uint8Array(S * S * 3).fill(30);
    for (let p = 0; p < S * S; p += 7) other.fill(220, p * 3, p * 3 + 3);
    const carried = await carryEdit(
      { frame: pick.rgb, edit: erased(pick.rgb, pick.mask), grey: greyPlane(pick.rgb, S, S) },
      { frame: other, grey: greyPlane(other, S, S) },
      [],
    );
    expect(carried).toBeUndefined();
  });
});

describe('shownInPick', () => {
  it('leaves out a pixel whose flow to the pick and the flow back do not bring it home', () => {
    const W = 40, H = 10;
    // The scene moves 8 px between the frames, a subject at x 10-19 of the pick 1 px: a pixel of the
    // near frame at x 20-27 came from x 12-19 of the pick, under the subject, whose own flow goes 1 px.
    const there = new Float32Array(W * H * 2), back = new Float32Array(W * H * 2);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        there[2 * i] = x >= 11 && x <= 20 ? -1 : -8;
        back[2 * i] = x >= 10 && x <= 19 ? 1 : 8;
      }
    }
    const weights = shownInPick(there, back, W, H);
    const row = [...weights.subarray(5 * W, 6 * W)].map((w) => (w === 0 ? 'x' : '.')).join('');
    // x 21-27 land at 13-19 (subject, back +1: home is 14-20, 7 px off): left out. x 8-10 land at 0-2
    // (scene, back +8): home. The subject (11-20) lands on itself. x 28 and on land on scene: home.
    expect(row).toBe('.....................xxxxxxx............');
  });
});
