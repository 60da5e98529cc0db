/**
 * Procedural (photo, background-erased photo) pairs of head-and-shoulders footage for pretraining and
 * for test clips with known ground truth. Pure TypeScript, deterministic from a seed.
 */
export { synthPortrait, synthPortraits } from './synth-portrait';
export { synthScene, type SynthScene, type SynthSceneOptions } from './synth-scene';
export type { SynthPair, SynthInfo, SynthSize } from './synth-pair';
export type { BackgroundKind } from './paint-background';
export type { Framing, HairStyle } from './figure-params';
export { createSynthRng, mixSeed, type SynthRng } from './synth-rng';
