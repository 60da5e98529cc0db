/**
 * An RGBA float image the synthetic figure is painted into: colour premultiplied by alpha, both in
 * [0, 1]. Shapes are painted over it with anti-aliased coverage, so the alpha channel is the exact
 * soft matte of everything painted.
 */
export interface Layer {
  readonly width: number;
  readonly height: number;
  /** Premultiplied RGB, interleaved, `width * height * 3`. */
  readonly rgb: Float32Array;
  /** Coverage, `width * height`. */
  readonly alpha: Float32Array;
}

/** A signed distance in pixels at pixel-space point (x, y): negative inside, positive outside. */
export type DistanceFn = (x: number, y: number) => number;

/**
 * Writes the colour at pixel-space point (x, y) into `out[0..2]`; may lower the opacity in `out[3]`
 * (preset to 1) for translucent paint such as thin hair.
 */
export type ShadeFn = (x: number, y: number, out: Float32Array) => void;

/** A pixel rectangle, `x0`/`y0` included, `x1`/`y1` excluded. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Options of {@link paintShape}. */
export interface PaintOptions {
  /**
   * Width in pixels of the edge ramp. 0 (default) means a crisp edge, anti-aliased over one pixel
   * with the distance normalised by its gradient; larger values give a soft edge (wispy hair).
   */
  softness?: number;
}

/**
 * Creates a transparent layer.
 *
 * @example
 * const figure = createLayer(400, 400);
 */
export function createLayer(width: number, height: number): Layer {
  return { width, height, rgb: new Float32Array(width * height * 3), alpha: new Float32Array(width * height) };
}

/**
 * Clips a box to the layer and rounds it outward to whole pixels.
 *
 * @example
 * clipBox(layer, { x0: -10.5, y0: 3.2, x1: 80, y1: 900 }); // { x0: 0, y0: 3, x1: 80, y1: 400 }
 */
export function clipBox(layer: Layer, box: PixelBox): PixelBox {
  return {
    x0: Math.max(0, Math.floor(box.x0)),
    y0: Math.max(0, Math.floor(box.y0)),
    x1: Math.min(layer.width, Math.ceil(box.x1)),
    y1: Math.min(layer.height, Math.ceil(box.y1)),
  };
}

/** Distances beyond this many pixels are surely fully outside or inside (after the edge ramp). */
const SAFE = 4;

/**
 * Paints a shape over `layer` inside `box`: coverage from the signed distance (gradient-normalised
 * near the edge), colour from the shader, composited "over" what is there.
 *
 * @example
 * paintShape(layer, box, (x, y) => Math.hypot(x - 200, y - 200) - 50, (x, y, out) => out.set([1, 0, 0]));
 */
export function paintShape(
  layer: Layer,
  box: PixelBox,
  distance: DistanceFn,
  shade: ShadeFn,
  options: PaintOptions = {},
): void {
  const softness = options.softness ?? 0;
  const { x0, y0, x1, y1 } = clipBox(layer, box);
  const { width, rgb, alpha } = layer;
  const colour = new Float32Array(4);
  const safe = Math.max(SAFE, softness);
  for (let py = y0; py < y1; py++) {
    // Distances are roughly 1-Lipschitz, so a pixel far from the edge tells about its neighbours:
    // skip ahead while outside, and reuse "inside" without calling `distance` again.
    let insideUntil = -1;
    for (let px = x0; px < x1; px++) {
      const cx = px + 0.5;
      const cy = py + 0.5;
      let d: number;
      if (px < insideUntil) {
        d = -safe;
      } else {
        d = distance(cx, cy);
        if (d > safe) {
          const skip = Math.floor((d - safe) * 0.5);
          if (skip > 0) px += skip;
          continue;
        }
        if (d < -safe) insideUntil = px + Math.floor((-d - safe) * 0.5);
      }
      let cover: number;
      if (softness > 1) {
        cover = 0.5 - d / softness;
        if (cover <= 0) continue;
        if (cover > 1) cover = 1;
      } else if (d >= 2.5) {
        continue;
      } else if (d <= -2.5) {
        cover = 1;
      } else {
        // Near the edge: normalise the distance by its gradient (two more samples), so the
        // one-pixel coverage ramp is right even where the distance is only roughly scaled.
        const gx = distance(cx + 0.5, cy) - d;
        const gy = distance(cx, cy + 0.5) - d;
        const g = 2 * Math.sqrt(gx * gx + gy * gy);
        const dn = g > 1e-6 ? d / g : d;
        cover = 0.5 - dn;
        if (cover <= 0) continue;
        if (cover > 1) cover = 1;
      }
      colour[3] = 1;
      shade(cx, cy, colour);
      const a = cover * colour[3];
      const i = py * width + px;
      const j = i * 3;
      const keep = 1 - a;
      rgb[j] = a * colour[0] + keep * rgb[j];
      rgb[j + 1] = a * colour[1] + keep * rgb[j + 1];
      rgb[j + 2] = a * colour[2] + keep * rgb[j + 2];
      alpha[i] = a + keep * alpha[i];
    }
  }
}

/**
 * Composites a premultiplied layer over an opaque RGB image in place: `dst = layer + (1 - α) dst`.
 *
 * @example
 * compositeOver(background, figure);
 */
export function compositeOver(dst: Float32Array, layer: Layer, opacity = 1): void {
  const { rgb, alpha } = layer;
  for (let i = 0, j = 0; i < alpha.length; i++, j += 3) {
    const a = alpha[i] * opacity;
    if (a === 0) continue;
    const keep = 1 - a;
    dst[j] = rgb[j] * opacity + keep * dst[j];
    dst[j + 1] = rgb[j + 1] * opacity + keep * dst[j + 1];
    dst[j + 2] = rgb[j + 2] * opacity + keep * dst[j + 2];
  }
}
