/**
 * Interview-like clips with exact masks, made of real people: a person cut out of a public-domain
 * portrait (../shared/data/people, `cutOutPortraits`) sways and leans in front of a procedural
 * background that pans slowly (a handheld camera). Used by bench/real-footage.ts as footage whose
 * every frame has a true mask; nothing here is copied into the repository.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import sharp from 'sharp';
import { cutOutPortraits, stillPrior, type PersonCutout, type PersonPriorFn } from '../src/data/people/people-pairs';
import { paintBackground } from '../src/data/synth/paint-background';
import { paintIntrusion } from '../src/data/synth/paint-intrusion';
import { createSynthRng, mixSeed } from '../src/data/synth/synth-rng';
import { makeFrame } from '../src/pipeline/frame';
import { PersonPrior } from '../src/prior/person-prior';
import { encodeVideo } from '../src/stages/encode-video';
import { pngFileName } from '../src/stages/write-png-sequence';

export const PEOPLE_DIR = join(__dirname, '..', '..', 'shared', 'data', 'people', 'congress');

/** Another person's fingers entering at the lower left (`paintIntrusion`) over frames start … start + span. */
export interface PeopleClipIntrusion {
  readonly start: number;
  readonly span: number;
  readonly seed?: number;
}

/** Options of {@link writePeopleClip}. */
export interface PeopleClipOptions {
  /** Frames (default 60) and side (default 400). */
  readonly frames?: number;
  readonly size?: number;
  /** Fingers painted over the frames: `truth/` and `region/` are written too. */
  readonly intrusion?: PeopleClipIntrusion;
  /** The camera stands still (the background does not pan; the person sways as before). */
  readonly tripod?: boolean;
  /**
   * Another person standing behind the speaker, smaller, to one side, walking slowly: part of the
   * background (not in the masks), though the person prior marks them (a crowd of one).
   */
  readonly bystander?: PersonCutout;
  /**
   * The bystander only visits: steps in from the left edge and out again over frames start … start +
   * span (no pick need show them), instead of standing there throughout.
   */
  readonly visit?: { readonly start: number; readonly span: number };
  /**
   * The room in dim light: the painted background scaled to this share of its brightness (default 1).
   * With the portraits' dark suits, 0.25 gives dark clothes over a dark background, where the hidden
   * interview clips lost the most.
   */
  readonly dim?: number;
  /**
   * Real footage behind the speaker instead of the painted, panning room: frames of side `size`, RGB
   * (a DAVIS clip: a real scene with its own camera motion and a rider or animal moving behind the
   * speaker, as in the hidden interview clips' worst case). Played forward and back if shorter than the
   * clip; `dim` applies to it too.
   */
  readonly backdrop?: readonly Uint8Array[];
  /**
   * The head and shoulders move on their own (not only the whole body): the rows above the chest
   * shift sideways by up to this share of the side and nod up and down, more the higher they are
   * (a speaker leaning and nodding; non-rigid motion, which the flow must follow). Default 0.
   */
  readonly bend?: number;
  /**
   * The speaker's own hand raised from the lower right over frames start … start + span, in front of
   * them: part of the subject (in the masks), though no pick may show it.
   */
  readonly gesture?: PeopleClipIntrusion;
}

/**
 * Writes `<dir>/clip.mp4` (400x400, 10 fps) and `<dir>/masks/NNNNNN.png`; returns the frame count.
 * With `intrusion`, fingers are painted over the frames and `<dir>/truth/NNNNNN.png` holds the perfect
 * edit (the person over white, the fingers gone) and `<dir>/region/NNNNNN.png` where the fingers are.
 */
export async function writePeopleClip(dir: string, person: PersonCutout, seed: number, options: PeopleClipOptions = {}): Promise<number> {
  const { frames = 60, size = 400, intrusion, tripod = false } = options;
  const rng = createSynthRng(mixSeed(seed, 0x5eed));
  const { width, height, rgb, mask } = await standIn(person, Math.round(size * rng.range(0.75, 0.95)));
  const pan = Math.round(size * 0.4);
  const painted = paintBackground(rng.fork(), size + pan, size);
  const background = new Uint8Array(painted.rgb.length);
  const dim = options.dim ?? 1;
  for (let i = 0; i < background.length; i++) background[i] = Math.max(0, Math.min(255, Math.round(painted.rgb[i]! * 255 * dim)));
  await mkdir(join(dir, 'masks'), { recursive: true });
  if (intrusion) {
    await mkdir(join(dir, 'truth'), { recursive: true });
    await mkdir(join(dir, 'region'), { recursive: true });
  }
  const sway = rng.range(0.05, 0.12) * size, period = rng.range(25, 45), phase = rng.range(0, 6.28);
  const behind = options.bystander && (await standIn(options.bystander, Math.round(height * 0.62)));
  const out: ReturnType<typeof makeFrame>[] = [];
  for (let t = 0; t < frames; t++) {
    const dx = Math.round((size - width) / 2 + sway * Math.sin((2 * Math.PI * t) / period + phase));
    const dy = size - height + Math.round(4 * Math.sin((2 * Math.PI * t) / (period * 0.7)));
    // On a tripod the background stays put (the same painting, never panned); the person still sways.
    const offset = tripod ? 0 : Math.round((pan * t) / Math.max(1, frames - 1));
    const data = new Uint8Array(size * size * 3);
    const plate = options.backdrop && dimmed(options.backdrop[pingPong(t, options.backdrop.length)]!, dim);
    // The bystander walks from the left third toward the middle, behind the speaker.
    const visit = options.visit;
    const bx =
      behind &&
      (visit
        ? Math.round(-behind.width + behind.width * 0.9 * Math.max(0, Math.sin((Math.PI * (t - visit.start)) / visit.span)) * (t >= visit.start && t < visit.start + visit.span ? 1 : 0))
        : Math.round(size * (0.02 + (0.2 * t) / Math.max(1, frames - 1)) - behind.width / 4));
    const by = behind && size - behind.height + Math.round(3 * Math.abs(Math.sin(t * 0.6)));
    const truth = new Uint8Array(size * size);
    const lean = (options.bend ?? 0) * size * Math.sin((2 * Math.PI * t) / 13 + phase);
    const nod = (options.bend ?? 0) * size * 0.3 * Math.sin((2 * Math.PI * t) / 9);
    for (let y = 0; y < size; y++) {
      // How much of the head's own motion this row takes: 1 at the top of the head, 0 from the chest down.
      const share = Math.max(0, Math.min(1, (0.5 * height - (y - dy)) / (0.5 * height)));
      for (let x = 0; x < size; x++) {
        const o = y * size + x;
        const b = (y * (size + pan) + x + offset) * 3;
        const sx = x - dx - Math.round(lean * share), sy = Math.min(height - 1, y - dy - Math.round(nod * share));
        const a = sx >= 0 && sx < width && sy >= 0 ? mask[sy * width + sx]! / 255 : 0;
        let back = plate ? [plate[o * 3]!, plate[o * 3 + 1]!, plate[o * 3 + 2]!] : [background[b]!, background[b + 1]!, background[b + 2]!];
        if (behind) {
          const ux = x - bx!, uy = y - by!;
          const ab = ux >= 0 && ux < behind.width && uy >= 0 && uy < behind.height ? behind.mask[uy * behind.width + ux]! / 255 : 0;
          if (ab > 0) back = back.map((v, c) => ab * behind.rgb[(uy * behind.width + ux) * 3 + c]! + (1 - ab) * v);
        }
        for (let c = 0; c < 3; c++) data[o * 3 + c] = Math.round(a * (a > 0 ? rgb[(sy * width + sx) * 3 + c]! : 0) + (1 - a) * back[c]!);
        truth[o] = a >= 0.5 ? 255 : 0;
      }
    }
    if (options.gesture) raiseHand(data, truth, paintIntrusion(t, size, size, { ...options.gesture, seed: options.gesture.seed ?? 29 }), size);
    const name = `${String(t).padStart(5, '0')}.png`;
    await sharp(truth, { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(dir, 'masks', name));
    if (intrusion) await paintFingers(dir, pngFileName(t), data, truth, paintIntrusion(t, size, size, intrusion), size);
    out.push(makeFrame(t, t / 10, size, size, data));
  }
  await lastValueFrom(from(out).pipe(encodeVideo(join(dir, 'clip.mp4'), { fps: 10, crf: 16, overwrite: true })));
  return frames;
}

/** The hand (a painted intrusion, mirrored: from the lower right) over `data`, and in `truth`. */
function raiseHand(data: Uint8Array, truth: Uint8Array, hand: ReturnType<typeof paintIntrusion>, size: number): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = y * size + (size - 1 - x);
      const a = hand.alpha[from]! / 255;
      if (a === 0) continue;
      const o = y * size + x;
      for (let c = 0; c < 3; c++) data[o * 3 + c] = Math.round(a * hand.rgb[from * 3 + c]! + (1 - a) * data[o * 3 + c]!);
      if (a >= 0.5) truth[o] = 255;
    }
  }
}

/** Frame `t` of a backdrop of `length` frames played forward and back. */
function pingPong(t: number, length: number): number {
  if (length <= 1) return 0;
  const period = 2 * (length - 1);
  const u = t % period;
  return u < length ? u : period - u;
}

function dimmed(rgb: Uint8Array, dim: number): Uint8Array {
  return dim === 1 ? rgb : rgb.map((v) => Math.round(v * dim));
}

/** A cut-out person scaled to `height` rows: RGB and a grey mask. */
async function standIn(person: PersonCutout, height: number) {
  const width = Math.round((person.width * height) / person.height);
  const rgb = await sharp(person.rgb, { raw: { width: person.width, height: person.height, channels: 3 } }).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const mask = await sharp(person.mask, { raw: { width: person.width, height: person.height, channels: 1 } }).resize(width, height, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
  return { width, height, rgb, mask };
}

/**
 * A few people, cut out of the portraits (every `stride`th, from `first`), their mattes refined by the
 * person prior as the base's were (`prior`, default MediaPipe's): without it a face as light as the
 * backdrop is cut out as backdrop (people-6, people-9). None is left out, so people-K stays the same
 * portrait.
 */
export async function somePeople(count: number, first = 3, stride = 97, prior?: PersonPriorFn): Promise<PersonCutout[]> {
  const loaded = prior === undefined ? await PersonPrior.load() : undefined;
  try {
    return await cutOutPortraits(PEOPLE_DIR, { prior: prior ?? stillPrior(loaded!), minAgreement: 0, limit: count, select: (i) => i >= first && (i - first) % stride === 0 });
  } finally {
    loaded?.dispose();
  }
}

/**
 * Paints the fingers over `data` (in place) and writes the perfect edit of that frame (the person's own
 * pixels inside the true mask, white elsewhere: the fingers erased over the background and the person
 * showing where they covered it) and the fingers' region.
 */
export async function paintFingers(dir: string, name: string, data: Uint8Array, truth: Uint8Array, hand: ReturnType<typeof paintIntrusion>, size: number) {
  const edit = new Uint8Array(data.length);
  for (let p = 0; p < truth.length; p++) for (let c = 0; c < 3; c++) edit[p * 3 + c] = truth[p] ? data[p * 3 + c]! : 255;
  for (let p = 0; p < hand.alpha.length; p++) {
    const a = hand.alpha[p]! / 255;
    for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.round(a * hand.rgb[p * 3 + c]! + (1 - a) * data[p * 3 + c]!);
  }
  const region = hand.alpha.map((v) => (v >= 128 ? 255 : 0));
  await sharp(edit, { raw: { width: size, height: size, channels: 3 } }).png().toFile(join(dir, 'truth', name));
  await sharp(region, { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(dir, 'region', name));
}
