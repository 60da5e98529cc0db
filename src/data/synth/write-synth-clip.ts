import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Observable, lastValueFrom } from 'rxjs';
import sharp from 'sharp';
import { FrameBudget } from '../../pipeline/frame-budget';
import { makeFrame, type Frame } from '../../pipeline/frame';
import { expectInteger } from '../../pipeline/validate';
import { encodeVideo } from '../../stages/encode-video';
import { pngFileName } from '../../stages/write-png-sequence';
import { paintIntrusion } from './paint-intrusion';
import { synthScene } from './synth-scene';

/** Options of {@link writeSynthClip}. */
export interface WriteSynthClipOptions {
  /** Scene seed. Default 7. */
  readonly seed?: number;
  /** Frames in the clip, at 10 fps. */
  readonly frames: number;
  /** Frames to edit and list in `picks.txt`. Default: 2% of the frames, evenly spread. */
  readonly picks?: readonly number[];
  /** Frame side. Default 400 (the crop, so frame i of the clip is frame i of `vidgan extract`). */
  readonly size?: number;
  /** Also write every frame's true mask, and with `truth` its true edit (for scoring held-out frames). Default true. */
  readonly masks?: boolean;
  /** Also write every frame's true edit. Default true. */
  readonly truth?: boolean;
  /**
   * Another person's fingers entering at the lower left over these frames (`paintIntrusion`): they are
   * in the clip but not in the edits or the truth (the patching edit), and `intrusion/` gets their masks.
   */
  readonly intrusion?: { readonly start: number; readonly span: number };
  /** x264 quality of the clip. Default 16 (near-lossless, so tests score the model, not the codec). */
  readonly crf?: number;
}

/** The files {@link writeSynthClip} wrote. */
export interface SynthClip {
  readonly video: string;
  readonly picksFile: string;
  readonly picks: readonly number[];
  /** `truth/000000.png`, …: every frame with its background erased to white. */
  readonly truthDir: string;
  /** `masks/000000.png`, …: every frame's true foreground (0/255). */
  readonly masksDir: string;
  /** `intrusion/000000.png`, …: where the intruding fingers cover the frame (0/255), with `intrusion`. */
  readonly intrusionDir?: string;
}

/**
 * Writes a clip whose ground truth is known: a procedural person moving over a fixed, textured
 * background (`synthScene`), encoded at 10 fps, with the true background-erased frames and masks, and
 * a picks file of edited frames, as a user would hand them in. For tests, benchmarks and the bundled
 * example.
 *
 * @example
 * const clip = await writeSynthClip('work', { frames: 300 }); // picks 6 frames (2%)
 * @throws {InvalidOptionError} for a bad frame count, size or pick.
 */
export async function writeSynthClip(dir: string, options: WriteSynthClipOptions): Promise<SynthClip> {
  const frames = expectInteger('frames', options.frames, 2, 1_000_000);
  const size = expectInteger('size', options.size ?? 400, 16, 4096);
  const picks = options.picks ?? spreadPicks(frames, Math.max(1, Math.round(frames * 0.02)));
  picks.forEach((p, i) => expectInteger(`picks[${i}]`, p, 0, frames - 1));
  const truth = options.truth ?? true;
  const masks = options.masks ?? true;
  const scene = synthScene(options.seed ?? 7, { width: size, height: size, fps: 10 });
  const paths = {
    video: join(dir, 'clip.mp4'),
    picksFile: join(dir, 'picks.txt'),
    truthDir: join(dir, 'truth'),
    masksDir: join(dir, 'masks'),
    intrusionDir: options.intrusion !== undefined ? join(dir, 'intrusion') : undefined,
  };
  if (paths.intrusionDir !== undefined) await mkdir(paths.intrusionDir, { recursive: true });
  const edited = join(dir, 'edited');
  await mkdir(edited, { recursive: true });
  if (truth) await mkdir(paths.truthDir, { recursive: true });
  if (masks) await mkdir(paths.masksDir, { recursive: true });

  const wanted = new Set(picks);
  const budget = new FrameBudget(8);
  const source = new Observable<Frame>((subscriber) => {
    let stopped = false;
    void (async () => {
      for (let i = 0; i < frames && !stopped; i++) {
        while (budget.exhausted && !stopped) await roomIn(budget);
        const pair = scene.frameAt(i);
        const png = (data: Uint8Array, channels: 1 | 3) => sharp(data, { raw: { width: size, height: size, channels } }).png();
        if (wanted.has(i)) await png(pair.target, 3).toFile(join(edited, pngFileName(i)));
        if (truth) await png(pair.target, 3).toFile(join(paths.truthDir, pngFileName(i)));
        if (masks) await png(binarise(pair.mask), 1).toFile(join(paths.masksDir, pngFileName(i)));
        let input = pair.input;
        if (options.intrusion !== undefined && paths.intrusionDir !== undefined) {
          const hand = paintIntrusion(i, size, size, options.intrusion);
          input = overlay(pair.input, hand.rgb, hand.alpha);
          await png(binarise(hand.alpha), 1).toFile(join(paths.intrusionDir, pngFileName(i)));
        }
        budget.take(i);
        subscriber.next(makeFrame(i, i / 10, size, size, input));
      }
      subscriber.complete();
    })().catch((error) => subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
  await lastValueFrom(source.pipe(encodeVideo(paths.video, { fps: 10, crf: options.crf ?? 16, overwrite: true, budget })));
  await writeFile(
    paths.picksFile,
    `# ${picks.length} frames of ${frames}, background erased to white\n` + picks.map((p) => `edited/${pngFileName(p)}\n`).join(''),
  );
  return { ...paths, picks };
}

/**
 * `count` frame indices spread evenly over `frames`, each in the middle of its stretch.
 *
 * @example spreadPicks(100, 2) // [25, 75]
 */
export function spreadPicks(frames: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * frames) / count));
}

function roomIn(budget: FrameBudget): Promise<void> {
  return new Promise((resolve) => {
    const stop = budget.onAvailable(() => {
      stop();
      resolve();
    });
  });
}

function overlay(under: Uint8Array, rgb: Uint8Array, alpha: Uint8Array): Uint8Array {
  const out = new Uint8Array(under.length);
  for (let p = 0; p < alpha.length; p++) {
    const a = alpha[p]! / 255;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round(a * rgb[p * 3 + c]! + (1 - a) * under[p * 3 + c]!);
  }
  return out;
}

function binarise(mask: Uint8Array): Uint8Array {
  return mask.map((v) => (v >= 128 ? 255 : 0));
}
