import { makeBatchJob } from '../../../../src/jobs/batch/batch-job';
import type { BatchManifest, ManifestEntry } from '../../../../src/jobs/batch/manifest';
import { planBatch } from '../../../../src/jobs/batch/plan-batch';

const a = makeBatchJob({ video: '/v/a.mp4', out: '/o/a.mp4', model: '/m' });
const b = makeBatchJob({ video: '/v/b.mp4', out: '/o/b.mp4', picks: '/v/b.txt' });

function manifestOf(...jobs: ManifestEntry[]): BatchManifest {
  return { version: 1, updatedAt: '2024-01-01T00:00:00.000Z', jobs };
}

const exists = (...paths: string[]) => ({ outputExists: (p: string) => paths.includes(p) });

describe('planBatch', () => {
  it('runs every job of a new batch, replacing nothing unasked, and lists them pending', () => {
    const { plan, manifest } = planBatch([a, b], undefined, exists('/o/a.mp4'));
    expect(plan.map((p) => [p.action, p.restart, p.overwrite, p.resume])).toEqual([
      ['run', undefined, false, false],
      ['run', undefined, false, false],
    ]);
    expect(manifest.jobs).toEqual([
      { ...a, state: 'pending', attempts: 0 },
      { ...b, state: 'pending', attempts: 0 },
    ]);
    expect(planBatch([a], undefined, { ...exists(), overwrite: true }).plan[0]?.overwrite).toBe(true);
  });

  it('skips a done job whose output exists, and redoes it when the output is gone', () => {
    const done: ManifestEntry = { ...a, state: 'done', attempts: 1, frames: 30 };
    const kept = planBatch([a], manifestOf(done), exists('/o/a.mp4'));
    expect(kept.plan[0]).toMatchObject({ action: 'skip' });
    expect(kept.manifest.jobs).toEqual([done]);
    const gone = planBatch([a], manifestOf(done), exists());
    expect(gone.plan[0]).toMatchObject({ action: 'run', restart: 'output missing', overwrite: true });
    expect(gone.manifest.jobs[0]).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('restarts a job a killed run left running, replacing its output and resuming its training', () => {
    const running: ManifestEntry = { ...b, state: 'running', attempts: 1 };
    expect(planBatch([b], manifestOf(running), exists('/o/b.mp4')).plan[0]).toMatchObject({ action: 'run', restart: 'interrupted', overwrite: true, resume: true });
    const applied: ManifestEntry = { ...a, state: 'pending', attempts: 2, error: { code: 'CANCELLED', message: 'Cancelled.' } };
    expect(planBatch([a], manifestOf(applied), exists()).plan[0]).toMatchObject({ action: 'run', restart: 'interrupted', overwrite: true, resume: false });
    const neverStarted: ManifestEntry = { ...a, state: 'pending', attempts: 0 };
    expect(planBatch([a], manifestOf(neverStarted), exists()).plan[0]).toMatchObject({ action: 'run', restart: undefined, overwrite: false });
  });

  it('retries a failed job without replacing an output it never wrote', () => {
    const failed: ManifestEntry = { ...a, state: 'failed', attempts: 1, error: { code: 'BAD_INPUT', message: 'not a video' } };
    const { plan, manifest } = planBatch([a], manifestOf(failed), exists());
    expect(plan[0]).toMatchObject({ action: 'run', restart: 'failed before', overwrite: false, resume: false });
    expect(manifest.jobs[0]).toMatchObject({ state: 'pending', attempts: 1, error: failed.error });
  });

  it('redoes an output made from other inputs, and keeps entries of other outputs', () => {
    const other = makeBatchJob({ video: '/v/a.mp4', out: '/o/a.mp4', model: '/other-model' });
    const elsewhere: ManifestEntry = { ...makeBatchJob({ video: '/v/z.mp4', out: '/o/z.mp4', model: '/m' }), state: 'done', attempts: 1 };
    const { plan, manifest } = planBatch([a], manifestOf({ ...other, state: 'done', attempts: 1 }, elsewhere), exists('/o/a.mp4'));
    expect(plan[0]).toMatchObject({ action: 'run', restart: 'inputs changed', overwrite: true });
    expect(manifest.jobs).toEqual([{ ...a, state: 'pending', attempts: 0 }, elsewhere]);
    const failedOther = planBatch([a], manifestOf({ ...other, state: 'failed', attempts: 1 }), exists('/o/a.mp4'));
    expect(failedOther.plan[0]).toMatchObject({ restart: 'inputs changed', overwrite: false });
  });
});
