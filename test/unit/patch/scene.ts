import { paintIntrusion } from '../../../src/data/synth/paint-intrusion';

/** The size of {@link patchScene}'s frames. */
export const SIZE = 160;

/** A frame of a small interview with fingers coming in: the input, its perfect edit, and where the fingers and the speaker are. */
export interface PatchScene {
  readonly input: Uint8Array;
  /** The speaker's own pixels (where the fingers cover them too), white elsewhere. */
  readonly edit: Uint8Array;
  /** 255 where the fingers are (coverage at least half). */
  readonly fingers: Uint8Array;
  /** 255 on the speaker. */
  readonly speaker: Uint8Array;
}

const texture = (u: number, v: number, c: number) => 128 + 50 * Math.sin(u * 0.21 + c) * Math.cos(v * 0.17 - c) + 30 * Math.sin((u + 2 * v) * 0.06 + c);

/**
 * Frame `t` of a textured speaker (a disc) drifting right over a panning textured room, with the
 * fingers of `paintIntrusion` entering at the lower left from frame 0 over 40 frames. `levels` adds
 * that much to the edit's speaker (a colour change instead of a patch). With `bend`, the speaker also
 * shears: each row moves right by a further `bend * t * y / SIZE` px (the lower rows, where the
 * fingers are, faster than the upper), as a body that leans does not move as one.
 */
export function patchScene(t: number, levels = 0, bend = 0): PatchScene {
  const hand = paintIntrusion(t, SIZE, SIZE, { start: 0, span: 40, seed: 3 });
  const input = new Uint8Array(SIZE * SIZE * 3), edit = new Uint8Array(SIZE * SIZE * 3).fill(255);
  const fingers = new Uint8Array(SIZE * SIZE), speaker = new Uint8Array(SIZE * SIZE);
  const cx = 70 + 1.5 * t, cy = 105;
  for (let y = 0; y < SIZE; y++) {
    const sx = cx + (bend * t * y) / SIZE;
    for (let x = 0; x < SIZE; x++) {
      const q = y * SIZE + x;
      const onSpeaker = (x - sx) ** 2 + (y - cy) ** 2 < 55 ** 2;
      speaker[q] = onSpeaker ? 255 : 0;
      const a = hand.alpha[q]! / 255;
      fingers[q] = a >= 0.5 ? 255 : 0;
      for (let c = 0; c < 3; c++) {
        const clean = onSpeaker ? Math.round(texture(x - sx, y - cy, c + 3) * 0.6) : Math.round(texture(x + t, y, c));
        input[q * 3 + c] = Math.round(a * hand.rgb[q * 3 + c]! + (1 - a) * clean);
        if (onSpeaker) edit[q * 3 + c] = Math.min(255, clean + levels);
      }
    }
  }
  return { input, edit, fingers, speaker };
}
