import { expectInteger, expectNumber } from '../../pipeline/validate';
import { applyCamera, randomCamera } from './camera';
import { randomFigure, type FigurePose } from './figure-params';
import { compositeOver } from './layer';
import { paintBackground } from './paint-background';
import { renderFigure } from './render-figure';
import { createSynthRng, mixSeed } from './synth-rng';
import type { SynthInfo, SynthPair, SynthSize } from './synth-pair';
import { toPair } from './to-pair';

/** Options of {@link synthScene}. */
export interface SynthSceneOptions extends SynthSize {
  /** Frames per second the motion is timed for (default 10, vidgan's sampling rate). */
  fps?: number;
}

/** A synthetic clip with known ground truth: any frame on demand. */
export interface SynthScene {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** What the clip shows (the same for every frame). */
  readonly info: SynthInfo;
  /**
   * Frame `index` (a non-negative integer) of the clip: photo, background-erased photo and matte.
   * Frames are independent of the order they are asked in.
   */
  frameAt(index: number): SynthPair;
}

/**
 * A temporally coherent synthetic interview clip, fully determined by `seed`: one person in front of a
 * fixed background seen by a static camera. The person sways (about ±0.35 head-heights), bobs, turns
 * and tilts the head, talks and blinks on slow smooth cycles of a few seconds; the camera look is fixed
 * and only the sensor noise changes per frame. The clip avoids the hard cases of {@link synthPortrait}
 * (no grey-scale, low contrast or clothing like the wall), so it is a fair first test of learning.
 *
 * @example
 * const scene = synthScene(5, { width: 400, height: 400 });
 * const { input, target, mask } = scene.frameAt(120); // 12 s in at 10 fps
 * @throws {InvalidOptionError} when the size or fps is invalid.
 */
export function synthScene(seed: number, options: SynthSceneOptions = {}): SynthScene {
  const width = expectInteger('synthScene.width', options.width ?? 400, 8, 8192);
  const height = expectInteger('synthScene.height', options.height ?? 400, 8, 8192);
  const fps = expectNumber('synthScene.fps', options.fps ?? 10, 0.1, 1000);
  const rng = createSynthRng(seed);
  const background = paintBackground(rng.fork(), width, height, {
    kind: rng.pick(['wall', 'texture', 'texture', 'room', 'room', 'drape', 'bokeh', 'people'] as const),
  });
  const figureRng = rng.fork();
  const params = randomFigure(figureRng, width, height, {
    framing: figureRng.pick(['medium', 'medium', 'close', 'offcentre'] as const),
    easy: true,
  });
  const look = randomCamera(rng.fork(), { hardCases: false });
  const motion = rng.fork();
  const cycle = (lo: number, hi: number): ((t: number) => number) => {
    const period = motion.range(lo, hi);
    const phase = motion.range(0, Math.PI * 2);
    return (t) => Math.sin((2 * Math.PI * t) / period + phase);
  };
  const sway = cycle(4, 9);
  const shift = cycle(1.5, 3);
  const bob = cycle(1.2, 2.5);
  const turn = cycle(3, 7);
  const tilt = cycle(2.5, 6);
  const speak = cycle(0.25, 0.4);
  const phrase = cycle(2, 4);
  const blinkEvery = motion.range(2.5, 5);
  const blinkAt = motion.range(0, blinkEvery);
  const info: SynthInfo = {
    background: background.kind,
    framing: params.framing,
    hairStyle: params.hairStyle,
    greyscale: look.greyscale,
    lowContrast: look.lowContrast,
  };
  const frameAt = (index: number): SynthPair => {
    expectInteger('synthScene.frameAt index', index, 0, Number.MAX_SAFE_INTEGER);
    const t = index / fps;
    const r = params.r;
    const pose: FigurePose = {
      dx: r * (0.25 * sway(t) + 0.08 * shift(t)),
      dy: r * 0.05 * bob(t),
      yaw: 0.35 * turn(t),
      roll: 0.07 * tilt(t),
      mouthOpen: Math.max(0, phrase(t)) * Math.max(0, 0.3 + 0.7 * speak(t)),
      eyesOpen: (((t - blinkAt) % blinkEvery) + blinkEvery) % blinkEvery < 0.12 ? 0 : 1,
    };
    const figure = renderFigure(params, pose, width, height);
    const photo = background.rgb.slice();
    compositeOver(photo, figure);
    const shot = applyCamera(photo, figure.alpha, width, height, look, createSynthRng(mixSeed(seed, index)));
    return toPair(shot.photo, shot.alpha, width, height, info);
  };
  return { width, height, fps, info, frameAt };
}
