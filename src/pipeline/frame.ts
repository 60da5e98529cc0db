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
  /**
   * Named guide planes for the generator (`width * height` bytes each, 0..255), e.g. `'person-prior'`,
   * `'flow-alpha'`, added by guide stages; `generate` passes the ones its model was trained with.
   */
  readonly guides?: Readonly<Record<string, Uint8Array>>;
  /** Optional alpha plane, `width * height` bytes, 255 = opaque subject (the composite head's mask after `generate`). */
  readonly alpha?: Uint8Array;
}

/** Planes a frame may carry beside its RGB; see {@link Frame}. */
export interface FramePlanes {
  readonly alpha?: Uint8Array;
  readonly guides?: Readonly<Record<string, Uint8Array>>;
}

/**
 * Returns a copy of `frame` with other pixels (and possibly another size). The alpha and guide planes
 * come along while the size stays the same; a plane named in `planes` replaces the frame's (given as
 * `undefined` it is dropped). When the size changes the frame's planes no longer fit and are dropped:
 * pass resized ones in `planes`.
 *
 * @example
 * const inverted = withPixels(frame, frame.data.map((v) => 255 - v));
 * const matted = withPixels(frame, rgb, frame.width, frame.height, { alpha });
 * @throws {RangeError} a buffer whose length does not fit the size.
 */
export function withPixels(frame: Frame, data: Uint8Array, width = frame.width, height = frame.height, planes: FramePlanes = {}): Frame {
  if (data.length !== width * height * 3) {
    throw new RangeError(`Frame ${frame.index}: expected ${width * height * 3} bytes for ${width}x${height} RGB but got ${data.length}`);
  }
  const sameSize = width === frame.width && height === frame.height;
  const alpha = 'alpha' in planes ? planes.alpha : sameSize ? frame.alpha : undefined;
  const guides = 'guides' in planes ? planes.guides : sameSize ? frame.guides : undefined;
  const out: { -readonly [K in keyof Frame]: Frame[K] } = { index: frame.index, timeSec: frame.timeSec, width, height, data };
  if (alpha !== undefined) {
    checkPlane(frame.index, 'alpha', alpha, width, height);
    out.alpha = alpha;
  }
  if (guides !== undefined) {
    for (const [name, plane] of Object.entries(guides)) checkPlane(frame.index, `guide ${name}`, plane, width, height);
    out.guides = Object.freeze({ ...guides });
  }
  return Object.freeze(out);
}

/**
 * Builds a frozen frame, with optional alpha and guide planes.
 *
 * @example makeFrame(0, 0, 2, 1, new Uint8Array(6), { alpha: new Uint8Array([255, 0]) })
 * @throws {RangeError} a buffer whose length does not fit the size.
 */
export function makeFrame(index: number, timeSec: number, width: number, height: number, data: Uint8Array, planes: FramePlanes = {}): Frame {
  return withPixels({ index, timeSec, width, height, data }, data, width, height, planes);
}

function checkPlane(index: number, what: string, plane: Uint8Array, width: number, height: number): void {
  if (!(plane instanceof Uint8Array) || plane.length !== width * height) {
    throw new RangeError(`Frame ${index}: expected ${width * height} bytes for the ${width}x${height} ${what} plane but got ${plane?.length}`);
  }
}
