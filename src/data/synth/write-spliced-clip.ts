import { join } from 'node:path';
import { lastValueFrom, Observable } from 'rxjs';
import { FrameBudget } from '../../pipeline/frame-budget';
import { makeFrame, type Frame } from '../../pipeline/frame';
import { expectInteger } from '../../pipeline/validate';
import { encodeVideo } from '../../stages/encode-video';
import { synthScene } from './synth-scene';

/** The kinds of foreign frame {@link writeSplicedClip} splices in. */
export type ForeignKind = 'other-scene' | 'title-card' | 'black';

/** Options of {@link writeSplicedClip}. */
export interface WriteSplicedClipOptions {
  /** Frames of the main scene. Default 90. */
  readonly frames?: number;
  /** Frame side. Default 128. */
  readonly size?: number;
  /** Seed of the main scene; the cutaway uses another. Default 11. */
  readonly seed?: number;
  /**
   * Foreign runs to splice in: kind, position in the main scene (before its frame `at`) and length.
   * Default: 4 frames of another scene at 20, a 3-frame title card at 50, 3 black frames at 75.
   */
  readonly foreign?: ReadonlyArray<{ readonly kind: ForeignKind; readonly at: number; readonly length: number }>;
}

/** The clip {@link writeSplicedClip} wrote. */
export interface SplicedClip {
  readonly video: string;
  /** Frame indices (at 10 fps) of the foreign frames, ascending. */
  readonly foreign: readonly number[];
  readonly frames: number;
}

const DEFAULT_FOREIGN = [
  { kind: 'other-scene', at: 20, length: 4 },
  { kind: 'title-card', at: 50, length: 3 },
  { kind: 'black', at: 75, length: 3 },
] as const;

/**
 * Writes `clip.mp4` (10 fps, near-lossless) of a synthetic interview (`synthScene`) with foreign
 * frames spliced in: a cutaway to another scene, a title card and black frames, the frames an
 * editor wants flagged. For the outlier tests and benchmarks; which frames are foreign is returned.
 *
 * @example
 * const clip = await writeSplicedClip(dir); // 100 frames, clip.foreign = [20, 21, 22, 23, 54, …]
 * @throws {InvalidOptionError} for a bad frame count, size or foreign run.
 */
export async function writeSplicedClip(dir: string, options: WriteSplicedClipOptions = {}): Promise<SplicedClip> {
  const mainFrames = expectInteger('frames', options.frames ?? 90, 2, 100_000);
  const size = expectInteger('size', options.size ?? 128, 16, 4096);
  const seed = options.seed ?? 11;
  const runs = [...(options.foreign ?? DEFAULT_FOREIGN)].sort((a, b) => a.at - b.at);
  runs.forEach((r, i) => {
    expectInteger(`foreign[${i}].at`, r.at, 0, mainFrames);
    expectInteger(`foreign[${i}].length`, r.length, 1, 100_000);
  });
  const main = synthScene(seed, { width: size, height: size });
  const other = synthScene(seed + 1000, { width: size, height: size });
  // The output order: main frames with the runs inserted before their `at`.
  const plan: Array<() => Uint8Array> = [];
  const foreign: number[] = [];
  let next = 0;
  for (let m = 0; m <= mainFrames; m++) {
    for (const run of runs.filter((r) => r.at === m)) {
      for (let k = 0; k < run.length; k++) {
        foreign.push(plan.length);
        plan.push(() => foreignFrame(run.kind, size, () => other.frameAt(30 + next++ * 7).input));
      }
    }
    if (m < mainFrames) plan.push(() => main.frameAt(m).input);
  }
  const video = join(dir, 'clip.mp4');
  const budget = new FrameBudget(8);
  const source = new Observable<Frame>((subscriber) => {
    let stopped = false;
    let i = 0;
    const pump = () => {
      while (!stopped && i < plan.length && !budget.exhausted) {
        budget.take(i);
        subscriber.next(makeFrame(i, i / 10, size, size, plan[i]!()));
        i++;
      }
      if (!stopped && i === plan.length) subscriber.complete();
    };
    const stop = budget.onAvailable(pump);
    pump();
    return () => {
      stopped = true;
      stop();
    };
  });
  await lastValueFrom(source.pipe(encodeVideo(video, { fps: 10, crf: 16, overwrite: true, budget })));
  return { video, foreign, frames: plan.length };
}

function foreignFrame(kind: ForeignKind, size: number, otherScene: () => Uint8Array): Uint8Array {
  if (kind === 'other-scene') return otherScene();
  const out = new Uint8Array(size * size * 3);
  if (kind === 'black') return out;
  // A title card: a dark blue slide with three lines of white "text" blocks.
  for (let p = 0; p < size * size; p++) out.set([27, 42, 74], p * 3);
  const unit = Math.max(1, Math.round(size / 32));
  for (let line = 0; line < 3; line++) {
    const y0 = Math.round(size * (0.3 + line * 0.15));
    for (let y = y0; y < y0 + 2 * unit; y++) {
      for (let x = Math.round(size * 0.15); x < Math.round(size * (line === 0 ? 0.85 : 0.7)); x++) {
        if (Math.floor(x / (3 * unit)) % 4 !== 3) out.set([240, 240, 240], (y * size + x) * 3);
      }
    }
  }
  return out;
}
