/**
 * Queue benchmark: the same jobs on one `vidgan worker` and on two (separate processes, as on two
 * machines, here sharing this machine's cores), and what splitting a trained job into frame ranges
 * costs: training, each range's run against its frames, the assembly, and the time jobs wait in the
 * queue, as a share of converting the same video as one job (docs/BATCH.md).
 *
 * Run: node -r ts-node/register/transpile-only bench/queue.ts [--copies 3] [--crop 256] [--range-frames 100] [--steps 20]
 * It starts its own redis-server on a free port of 127.0.0.1 and its own workers, and stops them.
 * Videos: copies of the 40 s fixture long-320x240.mp4 (400 frames at 10 fps); model: a fresh `fast`
 * generator (weights do not change speed); the trained job drill-trains from scratch for --steps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue } from 'bullmq';
import { makeBatchJob, Pix2Pix } from '../src';
import { enqueueBatch } from '../src/jobs/queue/enqueue-batch';
import { followQueueJobs } from '../src/jobs/queue/follow-queue-jobs';
import { redisOptions } from '../src/jobs/queue/open-queue';
import { parseQueueUrl, type QueueConnection } from '../src/jobs/queue/parse-queue-url';
import { killGroup, startTestRedis } from '../test/integration/redis-server';
import { writeWhitenedPicks } from '../test/integration/helpers';
import { arg } from './arg';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { makeFixtures, fixturesDir } = require('../scripts/make-fixtures.js') as { makeFixtures: () => void; fixturesDir: string };
const root = join(__dirname, '..');

/** Starts `vidgan worker` processes and resolves once each says it takes jobs. */
async function startWorkers(count: number, url: string, queueName: string, threads: number): Promise<ChildProcess[]> {
  const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const child = spawn(process.execPath, [...cli, 'worker', '--queue', url, '--queue-name', queueName, '--threads', String(threads), '--name', `w${i + 1}`], {
        cwd: root,
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      return new Promise<ChildProcess>((resolve, reject) => {
        let said = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          said += chunk.toString();
          if (said.includes('takes jobs from')) resolve(child);
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${said}`)));
      });
    }),
  );
}

/** Every job of a queue with its run time and the time it waited after the previous job ended. */
async function jobTimes(connection: QueueConnection, queueName: string): Promise<Job[]> {
  const queue = new Queue(queueName, { connection: redisOptions(connection) });
  const jobs = (await queue.getJobs(['completed'], 0, -1, true)).sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0));
  await queue.close();
  return jobs;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  makeFixtures();
  const copies = Number(arg('copies', '3'));
  const crop = Number(arg('crop', '256'));
  const rangeFrames = Number(arg('range-frames', '100'));
  const steps = Number(arg('steps', '20'));
  const cores = cpus().length;
  const work = mkdtempSync(join(tmpdir(), 'vidgan-bench-queue-'));
  const redis = await startTestRedis();
  const connection = parseQueueUrl(redis.url);
  try {
    mkdirSync(join(work, 'in'));
    const videos = Array.from({ length: copies }, (_, i) => {
      const path = join(work, 'in', `v${i}.mp4`);
      copyFileSync(join(fixturesDir, 'long-320x240.mp4'), path);
      return path;
    });
    const model = join(work, 'model.safetensors');
    const created = await Pix2Pix.create({ preset: 'fast' });
    await created.save(model, { generatorOnly: true });
    created.dispose();
    console.log(`${copies} copies of long-320x240.mp4 (400 frames each) at crop ${crop}; ${cores} cores; redis ${redis.url}`);

    // Throughput: the same jobs on one worker and on two, libtorch threads split between them.
    for (const workers of [1, 2]) {
      const queueName = `bench-${workers}`;
      const jobs = videos.map((video, i) => makeBatchJob({ video, out: join(work, `out-${workers}`, `v${i}.mp4`), model }));
      const queued = await enqueueBatch(jobs, { connection, queueName, crop });
      const running = await startWorkers(workers, redis.url, queueName, Math.max(1, Math.floor(cores / workers)));
      await followQueueJobs(queued.map((q) => q.id), { connection, queueName });
      for (const child of running) await killGroup(child, 'SIGINT');
      const times = await jobTimes(connection, queueName);
      const first = Math.min(...times.map((j) => j.processedOn ?? 0));
      const last = Math.max(...times.map((j) => j.finishedOn ?? 0));
      const frames = times.reduce((a, j) => a + ((j.returnvalue as { frames?: number }).frames ?? 0), 0);
      console.log(
        `${workers} worker(s), ${Math.max(1, Math.floor(cores / workers))} libtorch thread(s) each: ${frames} frames in ${seconds(last - first)} s = ` +
          `${((frames * 1000) / (last - first)).toFixed(1)} frames/s (first job start to last job end)`,
      );
    }

    // A trained job as one job, and as a flow of ranges, on one worker.
    const picks = await writeWhitenedPicks(videos[0] as string, crop, join(work, 'picks'));
    const training = { steps, batchSize: 1, trainSeconds: 1_000_000 };
    const spent: Record<string, number> = {};
    for (const [label, range] of [['whole job', undefined], [`ranges of ${rangeFrames}`, rangeFrames]] as const) {
      const queueName = `bench-flow-${range ?? 'whole'}`;
      const job = makeBatchJob({ video: videos[0] as string, picks, base: 'none', out: join(work, `trained-${range ?? 'whole'}`, 'v0.mp4') });
      const queued = await enqueueBatch([job], { connection, queueName, crop, training, rangeFrames: range });
      const [worker] = await startWorkers(1, redis.url, queueName, cores);
      await followQueueJobs(queued.map((q) => q.id), { connection, queueName });
      await killGroup(worker as ChildProcess, 'SIGINT');
      const times = await jobTimes(connection, queueName);
      const total = Math.max(...times.map((j) => j.finishedOn ?? 0)) - Math.min(...times.map((j) => j.processedOn ?? 0));
      spent[label] = total;
      console.log(`${label}: ${seconds(total)} s from first start to last end`);
      let previousEnd: number | undefined;
      for (const j of times) {
        const run = (j.finishedOn ?? 0) - (j.processedOn ?? 0);
        const waited = previousEnd === undefined ? 0 : (j.processedOn ?? 0) - previousEnd;
        const frames = (j.returnvalue as { frames?: number }).frames ?? 0;
        console.log(`  ${j.name.padEnd(8)} ${String(j.id).replace(/^v1-[0-9a-f]+/, '').padEnd(10) || '          '} ${seconds(run).padStart(6)} s run, ${seconds(waited)} s in the queue before it, ${frames} frames`);
        previousEnd = j.finishedOn;
      }
    }
    const [whole, ranged] = Object.values(spent) as [number, number];
    console.log(`ranges cost ${(((ranged - whole) / whole) * 100).toFixed(1)}% more than the whole job (${seconds(ranged - whole)} s)`);
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
