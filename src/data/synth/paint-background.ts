import { paintBokeh, paintDrape, paintGradient, paintNoiseTexture, paintWall, solidLayer } from './background-kinds';
import { paintRoom } from './background-room';
import { blur } from './blur';
import { randomFigure } from './figure-params';
import { compositeOver, type Layer } from './layer';
import type { Rgb } from './palette';
import { renderFigure } from './render-figure';
import type { SynthRng } from './synth-rng';

/** The kinds of background the generator paints. */
export type BackgroundKind = 'wall' | 'gradient' | 'texture' | 'bokeh' | 'drape' | 'room' | 'people';

/** All background kinds, in the order of {@link BackgroundKind}. */
export const BACKGROUND_KINDS: readonly BackgroundKind[] = ['wall', 'gradient', 'texture', 'bokeh', 'drape', 'room', 'people'];

/** A painted background. */
export interface Background {
  kind: BackgroundKind;
  /** Packed float RGB in [0, 1], `width * height * 3`. */
  rgb: Float32Array;
  /** Its main colour (clothing may copy it, a hard case). */
  dominant: Rgb;
  /** Gaussian blur (depth of field) applied, in pixels. */
  blurPx: number;
}

/** Options of {@link paintBackground}. */
export interface PaintBackgroundOptions {
  /** The kind; random when absent. */
  kind?: BackgroundKind;
}

/**
 * Paints a random background behind a speaker: a wall, a studio gradient, a noise texture, bokeh,
 * a drape or flag, a room, or other people (who belong to the background and are erased in the
 * target); then possibly a depth-of-field blur.
 *
 * @example
 * const bg = paintBackground(rng, 400, 400);
 */
export function paintBackground(rng: SynthRng, width: number, height: number, options: PaintBackgroundOptions = {}): Background {
  const unit = Math.min(width, height) / 400;
  const kind =
    options.kind ??
    rng.pick<BackgroundKind>(['wall', 'wall', 'gradient', 'texture', 'texture', 'bokeh', 'drape', 'room', 'room', 'room', 'people', 'people']);
  const layer = solidLayer(width, height, [0.5, 0.5, 0.5]);
  let dominant: Rgb;
  switch (kind) {
    case 'wall':
      dominant = paintWall(layer, rng, unit);
      break;
    case 'gradient':
      dominant = paintGradient(layer, rng);
      break;
    case 'texture':
      dominant = paintNoiseTexture(layer, rng, unit);
      break;
    case 'bokeh':
      dominant = paintBokeh(layer, rng, unit);
      break;
    case 'drape':
      dominant = paintDrape(layer, rng, unit);
      break;
    case 'room':
      dominant = paintRoom(layer, rng, unit);
      break;
    case 'people':
      dominant = paintPeople(layer, rng, unit);
      break;
  }
  const focus = rng.next();
  // People behind the speaker are out of focus; bokeh is blurred already.
  const blurPx =
    kind === 'bokeh' ? 0 : kind === 'people' || focus > 0.7 ? unit * rng.range(2, 6) : focus > 0.4 ? unit * rng.range(0.7, 2) : 0;
  const rgb = blurPx > 0 ? blur(layer.rgb, width, height, 3, blurPx) : layer.rgb;
  return { kind, rgb, dominant, blurPx };
}

/** Other people behind the speaker, over a room or a wall (the caller blurs them out of focus). */
function paintPeople(layer: Layer, rng: SynthRng, unit: number): Rgb {
  const { width, height } = layer;
  const dominant = rng.chance(0.5) ? paintRoom(layer, rng, unit) : paintWall(layer, rng, unit);
  const count = rng.int(1, 3);
  for (let k = 0; k < count; k++) {
    const params = randomFigure(rng.fork(), width, height, { framing: rng.pick(['distant', 'offcentre'] as const) });
    params.r *= rng.range(0.6, 1);
    const pose = { dx: 0, dy: 0, yaw: rng.range(-0.6, 0.6), roll: rng.range(-0.1, 0.1), mouthOpen: rng.range(0, 0.4), eyesOpen: 1 };
    const person = renderFigure(params, pose, width, height);
    compositeOver(layer.rgb, person, rng.range(0.85, 1));
  }
  return dominant;
}
