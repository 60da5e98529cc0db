import { InvalidOptionError } from '../../../../src/pipeline/errors';
import { synthPortrait, synthPortraits } from '../../../../src/data/synth/synth-portrait';
import { mixSeed } from '../../../../src/data/synth/synth-rng';
import type { SynthPair } from '../../../../src/data/synth/synth-pair';

function centroidAndArea(pair: SynthPair): { x: number; y: number; area: number } {
  let sx = 0;
  let sy = 0;
  let sum = 0;
  for (let y = 0; y < pair.height; y++) {
    for (let x = 0; x < pair.width; x++) {
      const a = pair.mask[y * pair.width + x] / 255;
      sx += a * x;
      sy += a * y;
      sum += a;
    }
  }
  return { x: sx / sum / pair.width, y: sy / sum / pair.height, area: sum / (pair.width * pair.height) };
}

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

describe('synthPortrait', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = synthPortrait(11, { width: 160, height: 160 });
    const b = synthPortrait(11, { width: 160, height: 160 });
    const c = synthPortrait(12, { width: 160, height: 160 });
    expect(Buffer.from(a.input).equals(Buffer.from(b.input))).toBe(true);
    expect(Buffer.from(a.target).equals(Buffer.from(b.target))).toBe(true);
    expect(Buffer.from(a.mask).equals(Buffer.from(b.mask))).toBe(true);
    expect(Buffer.from(a.input).equals(Buffer.from(c.input))).toBe(false);
    expect(Buffer.from(a.mask).equals(Buffer.from(c.mask))).toBe(false);
  });

  it('makes a 400x400 pair by default with consistent input, target and mask', () => {
    const pair = synthPortrait(3);
    expect(pair.width).toBe(400);
    expect(pair.height).toBe(400);
    expect(pair.input).toHaveLength(400 * 400 * 3);
    expect(pair.target).toHaveLength(400 * 400 * 3);
    expect(pair.mask).toHaveLength(400 * 400);
    let background = 0;
    let person = 0;
    let edge = 0;
    let wrong = 0;
    for (let i = 0; i < pair.mask.length; i++) {
      const m = pair.mask[i];
      for (let c = 0; c < 3; c++) {
        const input = pair.input[i * 3 + c];
        const target = pair.target[i * 3 + c];
        // Background is pure white, the person is the photo, edges blend the photo towards white by the matte.
        const expected = m === 0 ? 255 : m === 255 ? input : (m / 255) * input + (1 - m / 255) * 255;
        if (Math.abs(target - expected) > (m === 0 || m === 255 ? 0 : 1)) wrong++;
      }
      if (m === 0) background++;
      else if (m === 255) person++;
      else edge++;
    }
    expect(wrong).toBe(0);
    expect(background).toBeGreaterThan(0.03 * pair.mask.length);
    expect(person).toBeGreaterThan(0.01 * pair.mask.length);
    // Anti-aliased edges: some soft pixels, but few compared with the area.
    expect(edge).toBeGreaterThan(50);
    expect(edge).toBeLessThan(person);
  });

  it('varies the framing, the background and the look over seeds', () => {
    const pairs = Array.from({ length: 40 }, (_, i) => synthPortrait(1000 + i, { width: 128, height: 128 }));
    const shapes = pairs.map(centroidAndArea);
    expect(std(shapes.map((s) => s.x))).toBeGreaterThan(0.05);
    expect(std(shapes.map((s) => s.y))).toBeGreaterThan(0.03);
    const areas = shapes.map((s) => s.area);
    expect(Math.max(...areas) / Math.min(...areas)).toBeGreaterThan(5);
    expect(new Set(pairs.map((p) => p.info.background)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(pairs.map((p) => p.info.framing)).size).toBe(4);
    expect(new Set(pairs.map((p) => p.info.hairStyle)).size).toBeGreaterThanOrEqual(5);
    expect(pairs.some((p) => p.info.lowContrast)).toBe(true);
    const grey = pairs.filter((p) => p.info.greyscale);
    expect(grey.length).toBeGreaterThan(0);
    expect(grey.length).toBeLessThan(pairs.length / 3);
    for (const p of grey) {
      let coloured = 0;
      for (let i = 0; i < p.input.length; i += 3) {
        if (p.input[i + 1] !== p.input[i] || p.input[i + 2] !== p.input[i]) coloured++;
      }
      expect(coloured).toBe(0);
    }
    const colour = pairs.find((p) => !p.info.greyscale)!;
    let chroma = 0;
    for (let i = 0; i < colour.input.length; i += 3) chroma += Math.abs(colour.input[i] - colour.input[i + 2]);
    expect(chroma).toBeGreaterThan(0);
  });

  it('makes pictures of other sizes and aspect ratios', () => {
    for (const [width, height] of [
      [64, 48],
      [200, 320],
    ]) {
      const pair = synthPortrait(5, { width, height });
      expect(pair.input).toHaveLength(width * height * 3);
      expect(pair.mask).toHaveLength(width * height);
      const { area } = centroidAndArea(pair);
      expect(area).toBeGreaterThan(0.01);
      expect(area).toBeLessThan(0.97);
    }
  });

  it('rejects an invalid size', () => {
    expect(() => synthPortrait(1, { width: 0 })).toThrow(InvalidOptionError);
    expect(() => synthPortrait(1, { width: 0 })).toThrow('Expected integer between 8 and 8192 for synth.width but received 0');
    expect(() => synthPortrait(1, { height: 10.5 })).toThrow(/synth.height/);
  });
});

describe('synthPortraits', () => {
  it('yields count pairs, pair i made from mixSeed(seed, i)', () => {
    const pairs = [...synthPortraits(9, 3, { width: 48, height: 48 })];
    expect(pairs).toHaveLength(3);
    const second = synthPortrait(mixSeed(9, 1), { width: 48, height: 48 });
    expect(Buffer.from(pairs[1].input).equals(Buffer.from(second.input))).toBe(true);
    expect(Buffer.from(pairs[0].input).equals(Buffer.from(pairs[1].input))).toBe(false);
  });

  it('rejects a negative count', () => {
    expect(() => [...synthPortraits(1, -1)]).toThrow('Expected integer between 0 and 9007199254740991 for synth.count but received -1');
  });
});
