/**
 * Batch benchmark: converts the same videos with `runBatch` at concurrency 1 and 2 (and more if
 * asked) and prints wall time, total frames per second and peak RSS, to choose the default
 * concurrency (docs/BATCH.md). Each video is a copy of one clip, so every job is the same size.
 *
 * Run: node -r ts-node/register/transpile-only bench/batch.ts [--video clip.mp4] [--copies 2] [--concurrency 1,2]
 * Default video: the 40 s fixture fixtures/videos/long-320x240.mp4 (400 frames at 10 fps); model: a
 * fresh `fast` preset generator (the architecture drill training delivers; weights do not change speed).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatchJob, Pix2Pix, runBatch } from '../src';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { makeFixtures, fixturesDir } = require('../scripts/make-fixtures.js') as { makeFixtures: () => void; fixturesDir: string };

async function main(): Promise<void> {
  makeFixtures();
  const video = arg('video', join(fixturesDir, 'long-320x240.mp4'));
  const copies = Number(arg('copies', '2'));
  const levels = arg('concurrency', '1,2').split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'vidgan-bench-batch-'));
  const videos = Array.from({ length: copies }, (_, i) => {
    const path = join(work, 'in', `v${i}.mp4`);
    mkdirSync(join(work, 'in'), { recursive: true });
    copyFileSync(video, path);
    return path;
  });
  const model = join(work, 'model.safetensors');
  const created = await Pix2Pix.create({ preset: 'fast' });
  await created.save(model, { generatorOnly: true });
  created.dispose();
  console.log(`${copies} copies of ${video}; model ${model}; ${process.env.OMP_NUM_THREADS ?? 'all'} libtorch threads`);
  for (const concurrency of levels) {
    const out = join(work, `out-${concurrency}`);
    const jobs = videos.map((v, i) => makeBatchJob({ video: v, out: join(out, `v${i}.mp4`), model }));
    const report = await runBatch(jobs, { manifest: join(out, 'vidgan-batch.json'), concurrency });
    const frames = report.succeeded.reduce((a, r) => a + (r.frames ?? 0), 0);
    const perJob = report.succeeded.map((r) => (r.framesPerSecond ?? 0).toFixed(1)).join(', ');
    console.log(
      `concurrency ${concurrency}: ${report.seconds.toFixed(1)} s for ${frames} frames = ${(frames / report.seconds).toFixed(1)} frames/s ` +
        `(per job ${perJob} frames/s), failed ${report.failed.length}, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
  }
  rmSync(work, { recursive: true, force: true });
}

void main();
