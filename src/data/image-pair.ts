/**
 * One training example: an input frame and the edited frame it should become, packed RGB24 of the
 * same size (`width * height * 3` bytes each).
 */
export interface ImagePair {
  readonly input: Uint8Array;
  readonly target: Uint8Array;
  readonly width: number;
  readonly height: number;
}
