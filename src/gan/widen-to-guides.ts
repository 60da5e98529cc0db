import type { NativeTensor } from './binding';
import type { CheckpointContents } from './checkpoint';
import { resolveModelOptions, type ModelOptions } from './model-options';

/** The guides a model is to be widened to: names in order, and the one whose logit the alpha head adds. */
export interface GuideSpec {
  readonly guides: readonly string[];
  readonly alphaPriorGuide?: string;
}

// The generator's first convolution, the only layer that sees the input (native/networks.cpp).
const INPUT_CONV = /^(ema\.)?generator\.down0\.conv\.weight$/;

/**
 * Turns the contents of a checkpoint trained without guides into those of the same model taking
 * `spec.guides` after the RGB: the first convolution gets zero weights for the new input channels, so
 * the widened generator computes exactly what the original did (until `alphaPriorGuide` adds its
 * logit) and a drill learns how much to use each guide. Optimiser state is dropped (the result loads
 * as generator-only, at step 0).
 *
 * @example
 * const widened = widenToGuides(await readCheckpoint('models/base.safetensors'), { guides: ['person-prior'] });
 */
export function widenToGuides(contents: CheckpointContents, spec: GuideSpec): CheckpointContents {
  const options: ModelOptions = resolveModelOptions({
    ...contents.info.options,
    guides: [...spec.guides],
    ...(spec.alphaPriorGuide !== undefined ? { alphaPriorGuide: spec.alphaPriorGuide } : {}),
  });
  const extra = spec.guides.length - contents.info.options.guides.length;
  const tensors: NativeTensor[] = [];
  for (const t of contents.tensors) {
    if (t.name.startsWith('optim.')) continue;
    tensors.push(INPUT_CONV.test(t.name) && extra > 0 ? padInputChannels(t, extra) : t);
  }
  return { info: { ...contents.info, kind: 'generator', step: 0, options }, tensors };
}

/** [out, in, kh, kw] → [out, in + extra, kh, kw], the new input channels' weights zero. */
function padInputChannels(t: NativeTensor, extra: number): NativeTensor {
  const [out, inC, kh, kw] = t.shape as [number, number, number, number];
  const k = kh * kw;
  const data = new Float32Array(out * (inC + extra) * k);
  for (let o = 0; o < out; o++) data.set(t.data.subarray(o * inC * k, (o + 1) * inC * k), o * (inC + extra) * k);
  return { name: t.name, shape: [out, inC + extra, kh, kw], data };
}
