import { makeFrame } from '../../../src/pipeline/frame';
import { EMBEDDING_SIZE, embedFrame, embeddingDistance } from '../../../src/select/frame-embedding';
import { nearestFrames } from '../../../src/select/nearest-frames';

/** A 64x48 frame: a gradient with a square at `x`, plus deterministic noise of `noise` levels. */
function picture(x: number, noise = 0, tint: [number, number, number] = [0, 0, 0]) {
  const data = new Uint8Array(64 * 48 * 3);
  for (let p = 0; p < 64 * 48; p++) {
    const [px, py] = [p % 64, Math.floor(p / 64)];
    const inside = px >= x && px < x + 16 && py >= 16 && py < 32;
    for (let c = 0; c < 3; c++) {
      const jitter = noise === 0 ? 0 : ((p * 7 + c * 13) % (2 * noise + 1)) - noise;
      data[p * 3 + c] = Math.max(0, Math.min(255, (inside ? 220 : 40 + px * 2) + tint[c] + jitter));
    }
  }
  return makeFrame(0, 0, 64, 48, data);
}

describe('embedFrame', () => {
  it('returns EMBEDDING_SIZE finite values', () => {
    const e = embedFrame(picture(10));
    expect(e).toHaveLength(EMBEDDING_SIZE);
    expect([...e].every(Number.isFinite)).toBe(true);
  });

  it('barely moves under sensor noise, moves with the content, and moves far for a black frame', () => {
    const base = embedFrame(picture(10));
    const noisy = embeddingDistance(base, embedFrame(picture(10, 6)));
    const moved = embeddingDistance(base, embedFrame(picture(30)));
    const black = embeddingDistance(base, embedFrame(makeFrame(0, 0, 64, 48, new Uint8Array(64 * 48 * 3))));
    expect(noisy).toBeLessThan(moved / 5);
    expect(moved).toBeLessThan(black);
  });

  it('sees a change of lighting', () => {
    const base = embedFrame(picture(10));
    expect(embeddingDistance(base, embedFrame(picture(10, 0, [-30, -10, 40])))).toBeGreaterThan(embeddingDistance(base, embedFrame(picture(12))));
  });
});

describe('nearestFrames', () => {
  it('lists the nearest first and leaves out the excluded', () => {
    const embeddings = [0, 5, 10, 15, 20].map((x) => embedFrame(picture(x)));
    expect(nearestFrames(embeddings, embeddings[2]!, 2, [2]).map((f) => f.index).sort()).toEqual([1, 3]);
    expect(nearestFrames(embeddings, embeddings[0]!, 1)[0]).toEqual({ index: 0, distance: 0 });
  });
});
