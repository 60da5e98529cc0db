import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import sharp from 'sharp';
import { BadInputError } from '../../pipeline/errors';
import { makeFrame } from '../../pipeline/frame';
import type { PersonPrior } from '../../prior/person-prior';
import { paintBackground } from '../synth/paint-background';
import { createSynthRng, mixSeed, type SynthRng } from '../synth/synth-rng';
import { portraitMatte } from './portrait-matte';

/** A person cut out of a portrait: colour and matte at the portrait's size. */
export interface PersonCutout {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Packed RGB24. */
  readonly rgb: Uint8Array;
  /** 0 (backdrop) … 255 (person). */
  readonly mask: Uint8Array;
}

/** A composited training pair with its matte; `target` is the person over white. */
export interface PeoplePair {
  readonly width: number;
  readonly height: number;
  readonly input: Uint8Array;
  readonly target: Uint8Array;
  readonly mask: Uint8Array;
  /** The portrait the person came from, and the background kind. */
  readonly info: { readonly portrait: string; readonly background: string };
}

/** A person prior: per-pixel person probability (0..255) of a packed RGB24 picture. */
export type PersonPriorFn = (rgb: Uint8Array, width: number, height: number) => Promise<Uint8Array>;

/**
 * A loaded person prior (`PersonPrior`) as a {@link PersonPriorFn} of still pictures.
 *
 * @example const people = await cutOutPortraits(folder, { prior: stillPrior(await PersonPrior.load()) });
 */
export function stillPrior(prior: Pick<PersonPrior, 'probability'>): PersonPriorFn {
  return async (rgb, width, height) => (await prior.probability([makeFrame(0, 0, width, height, rgb)]))[0]!;
}

/**
 * Cuts the people out of a folder of studio portraits (JPEG or PNG, plain backdrops) with
 * {@link portraitMatte}, refined by `prior` when given.
 *
 * @example
 * const people = await cutOutPortraits('../shared/data/people/congress', { limit: 200 });
 * @throws {BadInputError} when the folder cannot be read or holds no pictures.
 */
export async function cutOutPortraits(folder: string, options: { limit?: number; select?: (index: number) => boolean; prior?: PersonPriorFn; minAgreement?: number } = {}): Promise<PersonCutout[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /\.(jpe?g|png)$/i.test(name)).sort();
  } catch (error) {
    throw new BadInputError(`Cannot read the portraits folder ${folder}: ${(error as Error).message}.`, { cause: error, path: folder });
  }
  if (names.length === 0) throw new BadInputError(`${folder} holds no .jpg or .png portraits.`, { path: folder });
  const out: PersonCutout[] = [];
  const chosen = names.filter((_, i) => options.select?.(i) ?? true).slice(0, options.limit ?? names.length);
  for (const name of chosen) {
    const { data, info } = await sharp(path.join(folder, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const prior = options.prior !== undefined ? await options.prior(rgb, info.width, info.height) : undefined;
    const mask = portraitMatte(rgb, info.width, info.height, prior);
    // A matte the prior disagrees with (a backdrop as light as the face, a busy backdrop) is left out.
    if (prior !== undefined && agreement(mask, prior) < (options.minAgreement ?? 0.85)) continue;
    out.push({ name, width: info.width, height: info.height, rgb, mask });
  }
  return out;
}

/** IoU of two planes thresholded at 128. */
function agreement(a: Uint8Array, b: Uint8Array): number {
  let both = 0, either = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128, y = b[i]! >= 128;
    if (x && y) both++;
    if (x || y) either++;
  }
  return either === 0 ? 1 : both / either;
}

/**
 * Composites people over other backgrounds into `size` x `size` pairs: each person scaled so they fill
 * 55–110% of the height, anchored at the bottom and placed off-centre at random, their shoulders
 * extended to the frame's sides, colour-jittered; behind them a procedural background (walls, rooms,
 * drapes, bokeh, drawn crowds) or another real person out of focus (who belongs to the background).
 * Deterministic from `seed`.
 *
 * @example
 * for await (const pair of peoplePairs(people, 1, 256)) pool.push(pair);
 */
export async function* peoplePairs(people: readonly PersonCutout[], seed: number, count: number, size = 400): AsyncGenerator<PeoplePair> {
  for (let k = 0; k < count; k++) {
    const rng = createSynthRng(mixSeed(seed, k, 0x9e0b1e));
    const person = people[rng.int(0, people.length - 1)]!;
    const background = rng.chance(0.3) && people.length > 1 ? await personBackdrop(people, rng, size) : proceduralBackdrop(rng, size);
    const placed = await placePerson(person, rng, size);
    const input = new Uint8Array(size * size * 3);
    const target = new Uint8Array(size * size * 3);
    for (let i = 0; i < size * size; i++) {
      const a = placed.mask[i]! / 255;
      for (let c = 0; c < 3; c++) {
        const fg = placed.rgb[i * 3 + c]!;
        input[i * 3 + c] = Math.round(a * fg + (1 - a) * background.rgb[i * 3 + c]!);
        target[i * 3 + c] = Math.round(a * fg + (1 - a) * 255);
      }
    }
    yield { width: size, height: size, input, target, mask: placed.mask, info: { portrait: person.name, background: background.kind } };
  }
}

interface Plane {
  readonly rgb: Uint8Array;
  readonly mask: Uint8Array;
}

/** The person scaled, positioned and colour-jittered on a `size` x `size` canvas. */
async function placePerson(person: PersonCutout, rng: SynthRng, size: number): Promise<Plane> {
  const height = Math.round(size * rng.range(0.55, 1.1));
  const width = Math.round((person.width * height) / person.height);
  const resize = (data: Uint8Array, channels: 1 | 3) =>
    sharp(data, { raw: { width: person.width, height: person.height, channels } })
      .resize(width, height, { kernel: 'lanczos3', fit: 'fill' })
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer();
  const [rgb, mask] = await Promise.all([resize(person.rgb, 3), resize(person.mask, 1)]);
  const left = Math.round(rng.range(-0.25, 0.25) * size + (size - width) / 2);
  const top = size - height + Math.round(rng.range(0, 0.08) * size);
  const gain = rng.range(0.75, 1.25), bias = rng.range(-20, 20), saturation = rng.range(0.7, 1.2);
  const out = { rgb: new Uint8Array(size * size * 3), mask: new Uint8Array(size * size) };
  for (let y = 0; y < size; y++) {
    const sy = y - top;
    if (sy < 0) continue;
    const ry = Math.min(sy, height - 1);
    for (let x = 0; x < size; x++) {
      // Past the portrait's sides the body continues mirrored, where the matte reaches the side (shoulders).
      const rx = reflect(x - left, width);
      const m = mask[ry * width + rx]!;
      if (x - left < 0 || x - left >= width) {
        const side = mask[ry * width + (x - left < 0 ? 0 : width - 1)]!;
        const beyond = x - left < 0 ? left - x : x - left - width + 1;
        if (side < 128 || beyond > 0.2 * width) continue;
      }
      const o = y * size + x, s = ry * width + rx;
      const r = rgb[s * 3]!, g = rgb[s * 3 + 1]!, b = rgb[s * 3 + 2]!;
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      for (let c = 0; c < 3; c++) {
        const v = grey + saturation * (rgb[s * 3 + c]! - grey);
        out.rgb[o * 3 + c] = clampByte(gain * v + bias);
      }
      out.mask[o] = m;
    }
  }
  return out;
}

function proceduralBackdrop(rng: SynthRng, size: number): { kind: string; rgb: Uint8Array } {
  const painted = paintBackground(rng.fork(), size, size);
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = clampByte(painted.rgb[i]! * 255);
  return { kind: painted.kind, rgb };
}

/** Another portrait, whole (person and backdrop), scaled to cover and blurred: a person behind. */
async function personBackdrop(people: readonly PersonCutout[], rng: SynthRng, size: number): Promise<{ kind: string; rgb: Uint8Array }> {
  const other = people[rng.int(0, people.length - 1)]!;
  const data = await sharp(other.rgb, { raw: { width: other.width, height: other.height, channels: 3 } })
    .resize(size, size, { fit: 'cover', position: rng.pick(['left', 'right', 'centre']) })
    .blur(rng.range(1.5, 5))
    .raw()
    .toBuffer();
  return { kind: 'person', rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Index `i` mirrored into [0, n): … 2 1 0 | 0 1 2 … n-1 | n-1 n-2 … */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  const j = ((i % period) + period) % period;
  return j < n ? j : period - 1 - j;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
