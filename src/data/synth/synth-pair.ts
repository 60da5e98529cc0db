import type { BackgroundKind } from './paint-background';
import type { Framing, HairStyle } from './figure-params';

/** Size of synthetic pictures. */
export interface SynthSize {
  /** Width in pixels (default 400). */
  width?: number;
  /** Height in pixels (default 400). */
  height?: number;
}

/** What a synthetic sample shows, for tests, balancing and debugging. */
export interface SynthInfo {
  background: BackgroundKind;
  framing: Framing;
  hairStyle: HairStyle;
  greyscale: boolean;
  lowContrast: boolean;
}

/**
 * One (photo, background-erased photo) training pair with its matte, all `width` x `height`:
 * `target = mask/255 · input + (1 − mask/255) · 255` per channel (before rounding), so the target is
 * pure white (255) where the mask is 0 and equals the input where the mask is 255.
 */
export interface SynthPair {
  width: number;
  height: number;
  /** The photo, packed RGB24. */
  input: Uint8Array;
  /** The same photo with the background erased to white, packed RGB24. */
  target: Uint8Array;
  /** The person's soft matte, one byte per pixel, 0 (background) to 255 (person). */
  mask: Uint8Array;
  info: SynthInfo;
}
