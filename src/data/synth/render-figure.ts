import { FigureFrame } from './figure-frame';
import type { FigureParams, FigurePose } from './figure-params';
import { createLayer, type Layer } from './layer';
import { paintNeck, paintTorso } from './paint-body';
import { paintEars, paintHead } from './paint-head';
import { paintBackHair, paintHairCap } from './paint-hair';

/**
 * Renders one person into a transparent `width` x `height` layer, back to front: torso and clothing,
 * hair hanging behind, neck, ears, head and face, hair on the skull. The layer's alpha is the exact
 * soft matte of the person.
 *
 * @example
 * const figure = renderFigure(randomFigure(rng, 400, 400), NEUTRAL_POSE, 400, 400);
 */
export function renderFigure(params: FigureParams, pose: FigurePose, width: number, height: number): Layer {
  const layer = createLayer(width, height);
  const frame = new FigureFrame(params, pose);
  paintTorso(layer, frame);
  paintBackHair(layer, frame);
  paintNeck(layer, frame);
  paintEars(layer, frame);
  paintHead(layer, frame);
  paintHairCap(layer, frame);
  return layer;
}
