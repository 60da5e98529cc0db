/**
 * Makes models/base-guided.safetensors, the base that drills with the default guides start from
 * (docs/BASE-MODEL.md): the procedural base (models/base.safetensors) widened to the guides
 * person-prior and flow-alpha, then trained on procedural pairs and on real people composited over
 * other backgrounds, each with its guide planes (the prior of the composite; the flow guide simulated
 * from the matte). Portraits that bench/people-clips.ts turns into benchmark clips are held out.
 *
 *   npx ts-node scripts/make-guided-base.ts [--seconds 2100] [--steps N] [--people 500] [--pool 300] [--work /tmp/guided-base]
 *     [--out models/base-guided.safetensors]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Pix2Pix } from '../src/gan/pix2pix';
import { pretrain } from '../src/drill/pretrain';
import { resolveGuideSpec } from '../src/guides/guide-kit';

const ROOT = join(__dirname, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const PEOPLE = join(ROOT, '..', 'shared', 'data', 'people', 'congress');
/** bench/people-clips.ts `somePeople` takes every 97th portrait from the 4th. */
const heldOut = (index: number) => index >= 3 && (index - 3) % 97 === 0;

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '2100'));
  const steps = Number(arg('steps', '100000'));
  const people = Number(arg('people', '500'));
  const pool = Number(arg('pool', '300'));
  const work = arg('work', '/tmp/guided-base');
  await mkdir(work, { recursive: true });
  const spec = resolveGuideSpec({});
  const full = join(work, 'base-guided.full.safetensors');
  const command = `npx ts-node scripts/make-guided-base.ts --seconds ${seconds}${steps < 100000 ? ` --steps ${steps}` : ''} --people ${people} --pool ${pool}`;
  let last = 0;
  const report = await pretrain({
    out: full,
    from: join(ROOT, 'models', 'base.safetensors'),
    people: { folder: PEOPLE, count: people, select: (i) => !heldOut(i) },
    poolSize: pool,
    seed: 2,
    resume: process.argv.includes('--resume'),
    command,
    model: { guides: spec.guides, alphaPriorGuide: spec.alphaPriorGuide, threads: Number(arg('threads', '2')) },
    training: { steps, trainSeconds: seconds, batchSize: 2 },
    onInfo: (m) => console.log(m),
    onProgress: (p) => {
      if (p.step - last < 100) return;
      last = p.step;
      console.log(`step ${p.step} L1 ${p.losses.l1.toFixed(4)} G ${p.losses.gan.toFixed(3)} D ${p.losses.d.toFixed(3)} ETA ${p.etaSeconds.toFixed(0)} s`);
    },
  });
  const model = await Pix2Pix.load(full);
  const out = arg('out', join(ROOT, 'models', 'base-guided.safetensors'));
  const info = await Pix2Pix.readCheckpointInfo(full);
  await model.save(out, { generatorOnly: true, metadata: { ...info.metadata, shipped_as: 'the generator of the full pretraining checkpoint' } });
  model.dispose();
  console.log(`Wrote ${out}: ${report.training.steps} steps on ${report.pairs} pairs in ${report.training.trainSeconds.toFixed(0)} s.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
