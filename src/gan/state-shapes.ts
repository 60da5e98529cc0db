/**
 * The names and shapes of a model's state tensors, computed from its options alone: a checkpoint can
 * be compared with the architecture its metadata names before anything is allocated. Mirrors
 * native/networks.cpp and native/model.cpp (Model::state); test/native/state-shapes.test.ts checks the
 * two agree.
 */
import type { NativeTensorShape } from './binding';
import type { ModelOptions } from './model-options';

type Architecture = Pick<
  ModelOptions,
  'ngf' | 'ndf' | 'depth' | 'discLayers' | 'norm' | 'decoder' | 'head' | 'guides' | 'emaDecay'
>;

/**
 * The state the native model holds, as `exportState(false)` names it: `generator.*`, `ema.generator.*`
 * (when `emaDecay > 0`), `discriminator.*` and `optim.G.*` / `optim.D.*` (Adam's `exp_avg`,
 * `exp_avg_sq` and `step` of every parameter).
 *
 * @example stateShapes(resolveModelOptions()).find((t) => t.name === 'generator.down0.conv.weight') // shape [16, 3, 4, 4]
 */
export function stateShapes(options: Architecture): NativeTensorShape[] {
  const generator = generatorState(options);
  const discriminator = discriminatorState(options);
  const out: NativeTensorShape[] = [];
  for (const t of generator.all) out.push({ name: `generator.${t.name}`, shape: t.shape });
  if (options.emaDecay > 0) for (const t of generator.all) out.push({ name: `ema.generator.${t.name}`, shape: t.shape });
  for (const t of discriminator.all) out.push({ name: `discriminator.${t.name}`, shape: t.shape });
  for (const [prefix, params] of [['G', generator.params], ['D', discriminator.params]] as const) {
    for (const p of params) {
      const base = `optim.${prefix}.${p.name}`;
      out.push({ name: `${base}.exp_avg`, shape: p.shape }, { name: `${base}.exp_avg_sq`, shape: p.shape }, { name: `${base}.step`, shape: [] });
    }
  }
  return out;
}

/** Elements of a tensor of this shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

interface ModuleState {
  params: NativeTensorShape[];
  all: NativeTensorShape[];
}

function moduleState(): ModuleState & { param(name: string, shape: number[]): void; buffer(name: string, shape: number[]): void } {
  const params: NativeTensorShape[] = [];
  const buffers: NativeTensorShape[] = [];
  return {
    params,
    get all() {
      return [...params, ...buffers];
    },
    param: (name, shape) => params.push({ name, shape }),
    buffer: (name, shape) => buffers.push({ name, shape }),
  };
}

type Builder = ReturnType<typeof moduleState>;

/** NormLayer: batch norm has weight, bias and running statistics; instance norm (no affine) and none have nothing. */
function norm(m: Builder, prefix: string, kind: Architecture['norm'], channels: number): void {
  if (kind !== 'batch') return;
  m.param(`${prefix}.bn.weight`, [channels]);
  m.param(`${prefix}.bn.bias`, [channels]);
  m.buffer(`${prefix}.bn.running_mean`, [channels]);
  m.buffer(`${prefix}.bn.running_var`, [channels]);
  m.buffer(`${prefix}.bn.num_batches_tracked`, []);
}

function generatorState(o: Architecture): ModuleState {
  const m = moduleState();
  const bias = o.norm !== 'batch';
  const channels = (level: number) => o.ngf * Math.min(2 ** Math.min(level, 3), 8);
  const outChannels = o.head === 'composite' ? 4 : 3;
  for (let i = 0; i < o.depth; i++) {
    const innermost = i === o.depth - 1;
    const cin = i === 0 ? 3 + o.guides.length : channels(i - 1);
    m.param(`down${i}.conv.weight`, [channels(i), cin, 4, 4]);
    if (bias) m.param(`down${i}.conv.bias`, [channels(i)]);
    if (i > 0 && !innermost) norm(m, `down${i}.norm`, o.norm, channels(i));
  }
  for (let i = 0; i < o.depth; i++) {
    const innermost = i === o.depth - 1;
    const cin = innermost ? channels(i) : 2 * channels(i);
    const cout = i === 0 ? outChannels : channels(i - 1);
    m.param(`up${i}.conv.weight`, o.decoder === 'transpose' ? [cin, cout, 4, 4] : [cout, cin, 3, 3]);
    if (i === 0 || bias) m.param(`up${i}.conv.bias`, [cout]);
    if (i > 0) norm(m, `up${i}.norm`, o.norm, cout);
  }
  return m;
}

function discriminatorState(o: Architecture): ModuleState {
  const m = moduleState();
  const bias = o.norm !== 'batch';
  let index = 0;
  const conv = (cin: number, cout: number, withBias: boolean) => {
    m.param(`body.${index}.weight`, [cout, cin, 4, 4]);
    if (withBias) m.param(`body.${index}.bias`, [cout]);
    index++;
  };
  conv(6, o.ndf, true);
  index++; // LeakyReLU
  let mult = 1;
  for (let n = 1; n <= o.discLayers; n++) {
    const prev = mult;
    mult = Math.min(2 ** n, 8);
    conv(o.ndf * prev, o.ndf * mult, bias);
    if (o.norm !== 'none') {
      norm(m, `body.${index}`, o.norm, o.ndf * mult);
      index++;
    }
    index++; // LeakyReLU
  }
  conv(o.ndf * mult, 1, true);
  return m;
}
