import { loadBinding } from '../../src/gan/binding';
import { type ModelOptions, resolveModelOptions } from '../../src/gan/model-options';
import { nativeOptions } from '../../src/gan/native-options';
import { stateShapes } from '../../src/gan/state-shapes';

/** name -> shape, for an order-free comparison. */
const byName = (shapes: { name: string; shape: number[] }[]) => Object.fromEntries(shapes.map((t) => [t.name, t.shape.join('x')]));

describe('stateShapes', () => {
  it.each<[string, Partial<ModelOptions>]>([
    ['the default preset', { preset: 'fast' }],
    ['batch norm, transposed decoder, rgb head', { preset: 'pix2pix-unet256', ngf: 4, ndf: 4, depth: 6, discLayers: 2 }],
    ['no norm, an EMA, bilinear upsampling', { preset: 'fast', norm: 'none', emaDecay: 0.99, upsampleMode: 'bilinear', ngf: 6, depth: 3 }],
    ['two guides and an alpha prior', { preset: 'fast', guides: ['person-prior', 'flow-alpha'], alphaPriorGuide: 'person-prior', ngf: 8, discLayers: 4 }],
  ])('computes the state the native model holds: %s', async (_what, options) => {
    const resolved = resolveModelOptions(options);
    const native = await loadBinding().createModel(nativeOptions(resolved, { device: 'cpu', threads: 1, seed: 0 }));
    expect(byName(stateShapes(resolved))).toEqual(byName(native.stateShapes(false)));
    native.dispose();
  });

  it('takes 3 + guides input channels in the first layer', () => {
    const first = (guides: string[]) => stateShapes(resolveModelOptions({ guides })).find((t) => t.name === 'generator.down0.conv.weight')?.shape;
    expect(first([])).toEqual([16, 3, 4, 4]);
    expect(first(['person-prior', 'flow-alpha'])).toEqual([16, 5, 4, 4]);
  });
});
