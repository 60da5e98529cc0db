import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatchJob } from '../../../../src/jobs/batch/batch-job';
import { type BatchManifest, readManifest, writeManifest } from '../../../../src/jobs/batch/manifest';
import { ManifestStore } from '../../../../src/jobs/batch/manifest-store';
import { BadInputError, OutputError } from '../../../../src/pipeline/errors';

const job = makeBatchJob({ video: '/v/a.mp4', out: '/o/a.mp4', model: '/m' });
const manifest: BatchManifest = { version: 1, updatedAt: '2024-01-01T00:00:00.000Z', jobs: [{ ...job, state: 'pending', attempts: 0 }] };

describe('readManifest and writeManifest', () => {
  it('round-trip through a temporary file and a rename, leaving no temporary behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-manifest-'));
    const path = join(dir, 'vidgan-batch.json');
    expect(await readManifest(path)).toBeUndefined();
    await writeManifest(path, manifest);
    expect(await readManifest(path)).toEqual(manifest);
    expect(readdirSync(dir)).toEqual(['vidgan-batch.json']);
    expect(readFileSync(path, 'utf8')).toMatch(/^\{\n {2}"version": 1,/);
  });

  it('refuses a file that is not a manifest, saying how to start afresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-manifest-'));
    const path = join(dir, 'vidgan-batch.json');
    writeFileSync(path, '{"version": 1, "jobs": [{"id": "x"}]}');
    await expect(readManifest(path)).rejects.toThrow(BadInputError);
    await expect(readManifest(path)).rejects.toThrow(/is not a vidgan batch manifest \(a job entry without id, video, out and state: .*\)\. Move it away/);
    writeFileSync(path, '{"version": 1, "jobs": [');
    await expect(readManifest(path)).rejects.toThrow(/\(not valid JSON\)/);
    writeFileSync(path, '{"version": 2, "jobs": []}');
    await expect(readManifest(path)).rejects.toThrow(/\(no version 1 and jobs list\)/);
  });

  it('says when the folder cannot be written, as an output failure', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vidgan-manifest-')), 'missing', 'vidgan-batch.json');
    const written = writeManifest(path, manifest);
    await expect(written).rejects.toThrow(OutputError);
    await expect(written).rejects.toMatchObject({ code: 'OUTPUT_FAILED', path, errno: 'ENOENT' });
    await expect(written).rejects.toThrow(`Could not write ${path}: its folder does not exist (ENOENT).`);
  });
});

describe('ManifestStore', () => {
  it('writes every change in order, the last one winning on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-manifest-'));
    const path = join(dir, 'vidgan-batch.json');
    const store = new ManifestStore(path, manifest);
    const writes = [store.update(job.id, { state: 'running', attempts: 1 }), store.update(job.id, { state: 'done', frames: 12 })];
    await Promise.all(writes);
    const saved = await readManifest(path);
    expect(saved?.jobs[0]).toMatchObject({ state: 'done', attempts: 1, frames: 12 });
    expect(store.current.jobs[0]).toEqual(saved?.jobs[0]);
    expect(readdirSync(dir)).toEqual(['vidgan-batch.json']);
  });

  it('rejects only the save whose write failed; the next save writes the newest state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vidgan-manifest-'));
    const path = join(dir, 'out', 'vidgan-batch.json');
    const store = new ManifestStore(path, manifest);
    // The folder is missing: this write fails (as a full disk would).
    await expect(store.update(job.id, { state: 'running', attempts: 1 })).rejects.toThrow(OutputError);
    mkdirSync(join(dir, 'out'));
    await store.update(job.id, { state: 'done', frames: 12 });
    expect((await readManifest(path))?.jobs[0]).toMatchObject({ state: 'done', attempts: 1, frames: 12 });
    expect(readdirSync(join(dir, 'out'))).toEqual(['vidgan-batch.json']);
  });
});
