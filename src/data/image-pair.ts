/**
 * One training example: an input frame and the edited frame it should become, packed RGB24 of the
 * same size (`width * height * 3` bytes each).
 */
export interface ImagePair {
  readonly input: Uint8Array;
  readonly target: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The input's guide planes (`width * height` bytes each, 0..255), in the model's `guides` order; for a model trained with guides. */
  readonly guides?: readonly Uint8Array[];
  /**
   * Each pixel's say in the drill's L1 and alpha loss (`width * height` bytes, 255 full, 0 none: the
   * target is not known there); absent for full say everywhere.
   */
  readonly weights?: Uint8Array;
  /**
   * The target's matte when it knows more than the target's non-white region (`width * height` bytes,
   * 255 = subject): white pixels it marks (a white shirt the edit kept) are subject to the alpha loss.
   * Absent: the non-white region alone, and white left out of the alpha loss where the input is white too.
   */
  readonly matte?: Uint8Array;
}
