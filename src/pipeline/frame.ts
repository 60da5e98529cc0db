/**
 * One video frame as it travels through a vidgan stage graph: packed 8-bit RGB, row-major,
 * `width * height * 3` bytes. Frames are immutable values: a stage that changes pixels returns a
 * new frame with {@link withPixels}.
 */
export interface Frame {
  /** 0-based index at the sampling rate (frame 12 at 10 fps is at 1.2 s). */
  readonly index: number;
  /** Presentation time in seconds, `index / fps`. */
  readonly timeSec: number;
  readonly width: number;
  readonly height: number;
  /** Packed RGB24 pixels, `width * height * 3` bytes. */
  readonly data: Uint8Array;
  /** Named guide planes (`width * height` bytes each), e.g. `'flow-alpha'`, added by guide stages. */
  readonly guides?: Readonly<Record<string, Uint8Array>>;
}

/**
 * Returns a copy of `frame` with other pixels (and possibly another size).
 *
 * @example
 * const inverted = withPixels(frame, frame.data.map((v) => 255 - v));
 */
export function withPixels(frame: Frame, data: Uint8Array, width = frame.width, height = frame.height): Frame {
  if (data.length !== width * height * 3) {
    throw new RangeError(`Frame ${frame.index}: expected ${width * height * 3} bytes for ${width}x${height} RGB but got ${data.length}`);
  }
  return Object.freeze({ index: frame.index, timeSec: frame.timeSec, width, height, data });
}

/** Builds a frozen frame. */
export function makeFrame(index: number, timeSec: number, width: number, height: number, data: Uint8Array): Frame {
  return withPixels({ index, timeSec, width, height, data }, data, width, height);
}
