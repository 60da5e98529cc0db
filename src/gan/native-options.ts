/** The bridge from validated model options to the native engine's strict options object. */
import type { NativeModelOptions } from './binding';
import type { ModelOptions } from './model-options';

/**
 * The flat options object the native engine's `createModel` reads: exactly its keys (it rejects missing
 * and unknown ones), guides reduced to their count and the alpha prior to its index.
 *
 * @example nativeOptions(resolveModelOptions(), { device: 'cpu', threads: 0, seed: 1 }).guideCount // 0
 */
export function nativeOptions(o: ModelOptions, runtime: { device: 'cpu' | 'cuda'; threads: number; seed: number }): NativeModelOptions {
  return {
    ngf: o.ngf,
    ndf: o.ndf,
    depth: o.depth,
    discLayers: o.discLayers,
    norm: o.norm,
    decoder: o.decoder,
    upsampleMode: o.upsampleMode,
    head: o.head,
    dropout: o.dropout,
    guideCount: o.guides.length,
    alphaPriorGuide: o.alphaPriorGuide === undefined ? -1 : o.guides.indexOf(o.alphaPriorGuide),
    ganLoss: o.ganLoss,
    lambdaL1: o.lambdaL1,
    lr: o.lr,
    beta1: o.beta1,
    beta2: o.beta2,
    emaDecay: o.emaDecay,
    precision: o.precision,
    seed: runtime.seed,
    threads: runtime.threads,
    device: runtime.device,
  };
}
