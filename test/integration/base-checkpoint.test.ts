import { existsSync } from 'node:fs';
import { synthScene } from '../../src/data/synth';
import { nonWhiteMask } from '../../src/eval/non-white-mask';
import { defaultBasePath } from '../../src/gan/default-base';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { main } from '../../src/cli/main';
import { makeFrame } from '../../src/pipeline/frame';
import { PersonPrior } from '../../src/prior/person-prior';

/** Share of the true background a base whitens and of the person it keeps, on frames of two unseen synthetic scenes. */
async function scoreAlone(run: (input: Uint8Array, index: number) => Promise<Uint8Array>): Promise<{ whitened: number; kept: number }> {
  let background = 0, whitened = 0, person = 0, kept = 0;
  for (const seed of [4, 13]) {
    const scene = synthScene(seed);
    for (const index of [10, 60]) {
      const frame = scene.frameAt(index);
      const visible = nonWhiteMask(await run(frame.input, index), 400, 400);
      for (let p = 0; p < visible.length; p++) {
        if (frame.mask[p]! < 128) {
          background++;
          if (visible[p] === 0) whitened++;
        } else {
          person++;
          if (visible[p] !== 0) kept++;
        }
      }
    }
  }
  return { whitened: whitened / background, kept: kept / person };
}

describe('the bundled base checkpoint', () => {
  it('ships with the package', () => {
    expect(existsSync(defaultBasePath())).toBe(true);
  });

  it('records how it was made', async () => {
    const info = await Pix2Pix.readCheckpointInfo(defaultBasePath());
    // Shipped as the generator alone: drills start the discriminator and Adam afresh (docs/BASE-MODEL.md).
    expect(info.kind).toBe('generator');
    expect(info.metadata.shipped_as).toMatch(/generator of the full pretraining checkpoint/);
    expect(info.step).toBeGreaterThan(1000);
    expect(info.metadata.made_by).toMatch(/^vidgan pretrain /);
    // The data seed is the one the pretraining command was given, and the data description names it.
    expect(info.metadata.data_seed).toMatch(/^\d+$/);
    expect(info.metadata.made_by).toContain(` --seed ${info.metadata.data_seed} `);
    expect(info.metadata.data).toContain(`seed ${info.metadata.data_seed},`);
    // The time it trained, at most the limit it was given.
    const limit = Number(/--train-seconds (\d+)/.exec(info.metadata.made_by!)![1]);
    expect(Number(info.metadata.train_seconds_this_run)).toBeGreaterThan(0);
    expect(Number(info.metadata.train_seconds_this_run)).toBeLessThanOrEqual(limit + 1);
    expect(info.fileBytes).toBeLessThanOrEqual(25 * 1024 * 1024);
  });

  it('erases the background of scenes it never saw, with no drill training', async () => {
    // synthScene clips are not in the base's training data (synthPortraits, seed 1): other code, other seeds.
    const model = await Pix2Pix.load(defaultBasePath());
    const { whitened, kept } = await scoreAlone(async (input) => (await model.generate(input, 1, 400, 400)).rgb);
    model.dispose();
    // Measured: the base whitens 87-99.7% of the true background and keeps 94-97% of the person on
    // these frames; an untrained generator whitens 36% on average (0% of seed 13's darker wall).
    expect(whitened).toBeGreaterThanOrEqual(0.85);
    expect(kept).toBeGreaterThanOrEqual(0.9);
  });

  it('is described by vidgan info', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      expect(await main(['info', defaultBasePath()])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const text = out.join('');
    expect(text).toMatch(/generator checkpoint, \d+\.\d MB/);
    expect(text).toMatch(/architecture: fast \(ngf 16, .*depth 6/);
    expect(text).toMatch(/made_by: vidgan pretrain/);
  });
});

describe('the bundled guided base', () => {
  const spec = { guides: ['person-prior', 'flow-alpha'], alphaPriorGuide: 'flow-alpha' };

  it('is the default for a drill with the default guides, and records its recipe', async () => {
    expect(defaultBasePath(spec)).toMatch(/models[/\\]base-guided\.safetensors$/);
    expect(defaultBasePath({ guides: ['person-prior'] })).toBe(defaultBasePath());
    const info = await Pix2Pix.readCheckpointInfo(defaultBasePath(spec));
    expect(info.kind).toBe('generator');
    expect(info.options).toMatchObject({ guides: spec.guides, alphaPriorGuide: 'flow-alpha', depth: 6 });
    expect(info.metadata.made_by).toMatch(/scripts\/make-guided-base\.ts/);
    expect(info.metadata.data).toMatch(/real people from \.\.\/shared\/data\/people/);
    expect(info.metadata.started_from).toBe('models/base.safetensors');
    expect(info.metadata.guide_data).toMatch(/simulateFlowAlpha/);
  });

  it('erases the background of scenes it never saw from the frame and the prior alone (no edits carried)', async () => {
    const model = await Pix2Pix.load(defaultBasePath(spec));
    const prior = await PersonPrior.load();
    const { whitened, kept } = await scoreAlone(async (input, index) => {
      const [probability] = await prior.probability([makeFrame(index, 0, 400, 400, input)]);
      const guides = new Uint8Array(2 * 400 * 400);
      guides.set(probability!, 0);
      guides.fill(128, 400 * 400); // flow-alpha: nothing known
      return (await model.generate(input, 1, 400, 400, { guides })).rgb;
    });
    model.dispose();
    prior.dispose();
    // Measured: whitens 99.5% of the background and keeps 96.4% of the person.
    expect(whitened).toBeGreaterThanOrEqual(0.9);
    expect(kept).toBeGreaterThanOrEqual(0.9);
  });
});
