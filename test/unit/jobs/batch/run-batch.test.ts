import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatchJob } from '../../../../src/jobs/batch/batch-job';
import { BATCH_LOCK_NAME, lockBatchFolder } from '../../../../src/jobs/batch/lock-batch-folder';
import { readManifest } from '../../../../src/jobs/batch/manifest';
import { runBatch } from '../../../../src/jobs/batch/run-batch';
import { BadInputError, CancelledError, OutputError } from '../../../../src/pipeline/errors';

// These runs never reach ffmpeg or the engine: their videos do not exist, so each job fails at once.
const folder = () => mkdtempSync(join(tmpdir(), 'vidgan-run-batch-'));
const missingJob = (out: string) => makeBatchJob({ video: join(tmpdir(), 'vidgan-no-such-video.mp4'), out, model: join(tmpdir(), 'no-model.safetensors') });

describe('runBatch', () => {
  it('refuses an output folder another run holds, before reading or writing its manifest', async () => {
    const dir = folder();
    const manifest = join(dir, 'vidgan-batch.json');
    const held = await lockBatchFolder(dir);
    const run = runBatch([missingJob(join(dir, 'a.mp4'))], { manifest });
    await expect(run).rejects.toThrow(OutputError);
    await expect(run).rejects.toThrow(`${dir} is in use by another vidgan batch: process ${process.pid} on this machine, started ${held.owner.startedAt}`);
    expect(readdirSync(dir)).toEqual([BATCH_LOCK_NAME]);
    await held.release();
  });

  it('refuses a second run into the folder while the first runs; the first finishes unharmed', async () => {
    const dir = folder();
    const manifest = join(dir, 'vidgan-batch.json');
    const outsider = join(folder(), 'vidgan-batch.json');
    let second: Promise<unknown> | undefined;
    const first = await runBatch([missingJob(join(dir, 'a.mp4'))], {
      manifest,
      // A second batch whose manifest lives elsewhere but writes into the same output folder.
      onJobStart: () => {
        second = runBatch([missingJob(join(dir, 'b.mp4'))], { manifest: outsider }).catch((error: unknown) => error);
      },
    });
    const refused = await second;
    expect(refused).toBeInstanceOf(OutputError);
    expect((refused as OutputError).message).toMatch(new RegExp(`^${dir} is in use by another vidgan batch: process ${process.pid} on this machine`));
    expect(existsSync(outsider)).toBe(false);
    expect(first.failed.map((r) => [r.job.out, r.error?.code])).toEqual([[join(dir, 'a.mp4'), 'BAD_INPUT']]);
    expect((await readManifest(manifest))?.jobs.map((e) => [e.out, e.state])).toEqual([[join(dir, 'a.mp4'), 'failed']]);
    expect(readdirSync(dir)).toEqual(['vidgan-batch.json']);
  });

  it('releases its locks on every exit path: done, bad manifest, cancelled', async () => {
    const dir = folder();
    const manifest = join(dir, 'vidgan-batch.json');
    const outDir = join(dir, 'videos-out');
    const jobs = [missingJob(join(outDir, 'a.mp4'))];

    await runBatch(jobs, { manifest });
    expect(readdirSync(dir).sort()).toEqual(['videos-out', 'vidgan-batch.json']);
    expect(readdirSync(outDir)).toEqual([]);

    const cancelled = runBatch(jobs, { manifest, signal: AbortSignal.abort() });
    await expect(cancelled).rejects.toThrow(CancelledError);
    expect(readdirSync(dir).sort()).toEqual(['videos-out', 'vidgan-batch.json']);
    expect(readdirSync(outDir)).toEqual([]);

    writeFileSync(manifest, 'not json');
    await expect(runBatch(jobs, { manifest })).rejects.toThrow(BadInputError);
    expect(readdirSync(dir).sort()).toEqual(['videos-out', 'vidgan-batch.json']);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('releases its locks when a callback throws', async () => {
    const dir = folder();
    const manifest = join(dir, 'vidgan-batch.json');
    const run = runBatch([missingJob(join(dir, 'a.mp4'))], {
      manifest,
      onJobEnd: () => {
        throw new Error('a bug in the caller');
      },
    });
    await expect(run).rejects.toThrow('a bug in the caller');
    expect(readdirSync(dir)).toEqual(['vidgan-batch.json']);
    expect((await readManifest(manifest))?.jobs.map((e) => e.state)).toEqual(['failed']);
  });

  it('recovers from a killed run: takes over its lock and removes its temporary files, saying so', async () => {
    const dir = folder();
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    writeFileSync(join(outDir, BATCH_LOCK_NAME), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2024-05-01T10:00:00.000Z', token: 'feed' }));
    const leftover = `.a.mp4.${dead}.0badc0de.tmp.mp4`;
    writeFileSync(join(outDir, leftover), 'half a video');
    writeFileSync(join(outDir, 'talk.partial.mp4'), 'a real video of that name');
    const warnings: string[] = [];
    await runBatch([missingJob(join(outDir, 'a.mp4'))], { manifest: join(outDir, 'vidgan-batch.json'), onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `Took over the lock ${join(outDir, BATCH_LOCK_NAME)} left by process ${dead} (started 2024-05-01T10:00:00.000Z), which is no longer running: that run was killed. Its unfinished jobs run again.`,
      `Removed 1 temporary file(s) a killed run left in ${outDir}: ${leftover}.`,
    ]);
    expect(readdirSync(outDir).sort()).toEqual(['talk.partial.mp4', 'vidgan-batch.json']);
    expect(existsSync(join(outDir, BATCH_LOCK_NAME))).toBe(false);
  });
});
