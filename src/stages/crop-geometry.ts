/** Where a centre crop of `size`x`size` comes from in a `width`x`height` image. */
export interface CropGeometry {
  /** Size after the optional scale-up (equal to the source when no scaling is needed). */
  readonly scaledWidth: number;
  readonly scaledHeight: number;
  /** Top-left corner of the crop in the scaled image. */
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** True when the short side was below `size` and the image is scaled up first. */
  readonly scaled: boolean;
}

/**
 * Computes a centre crop: the middle `size`x`size` square, after scaling the image up (keeping its
 * aspect ratio) when its short side is below `size`. Offsets round down, as ffmpeg's `crop` does.
 *
 * @example
 * cropGeometry(640, 480, 400); // { scaledWidth: 640, scaledHeight: 480, x: 120, y: 40, size: 400, scaled: false }
 * cropGeometry(320, 240, 400); // scaled to 533x400, then x: 66, y: 0
 */
export function cropGeometry(width: number, height: number, size: number): CropGeometry {
  const shortSide = Math.min(width, height);
  const scaled = shortSide < size;
  const factor = scaled ? size / shortSide : 1;
  // The short side lands exactly on `size`; the long side never drops below it through rounding.
  const scaledWidth = scaled ? (width === shortSide ? size : Math.max(size, Math.round(width * factor))) : width;
  const scaledHeight = scaled ? (height === shortSide ? size : Math.max(size, Math.round(height * factor))) : height;
  return {
    scaledWidth,
    scaledHeight,
    x: Math.floor((scaledWidth - size) / 2),
    y: Math.floor((scaledHeight - size) / 2),
    size,
    scaled,
  };
}
