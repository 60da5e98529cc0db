import type { BatchJob } from './batch-job';
import type { BatchManifest, ManifestEntry } from './manifest';

/** What a run does with one job. */
export interface PlannedJob {
  readonly job: BatchJob;
  /** `skip`: done in an earlier run and its output is there. */
  readonly action: 'run' | 'skip';
  /** Why a job that ran before runs again: `'interrupted'`, `'failed before'`, `'output missing'`, `'inputs changed'`. */
  readonly restart?: string;
  /**
   * Replace an existing output: true when an earlier run of this batch wrote (or may have written) it,
   * else the caller's `overwrite`, so a file that vidgan did not make is never replaced unasked.
   */
  readonly overwrite: boolean;
  /** Continue drill training from the job's training checkpoint (an interrupted job with picks). */
  readonly resume: boolean;
  /** The entry the manifest starts this run with. */
  readonly entry: ManifestEntry;
}

/** Options of {@link planBatch}. */
export interface PlanBatchOptions {
  /** Replace outputs that exist. Default false. */
  readonly overwrite?: boolean;
  /** Whether a job's output file exists. */
  readonly outputExists: (path: string) => boolean;
}

/**
 * Decides, from the previous manifest, what this run does with each job:
 * - `done` in the manifest and its output exists: skipped;
 * - `done` but the output is gone: run again;
 * - `running` (a killed run) or `pending` after an interruption: run again, replacing an output an
 *   earlier attempt may have finished, and resuming its drill training when it has picks;
 * - `failed`: run again (the video or picks may have been fixed); an output it never wrote is not
 *   replaced unasked;
 * - an entry for the same output with other inputs (another model, other picks): run again, replacing it;
 * - no entry: run.
 * Returns the plan in job order and the manifest to start the run with: this run's jobs (in order,
 * every one to run set to `pending`), then the earlier entries of other outputs, unchanged.
 *
 * @example
 * const { plan, manifest } = planBatch(jobs, await readManifest(path), { outputExists: existsSync });
 */
export function planBatch(
  jobs: readonly BatchJob[],
  previous: BatchManifest | undefined,
  options: PlanBatchOptions,
): { plan: PlannedJob[]; manifest: BatchManifest } {
  const before = previous?.jobs ?? [];
  const plan = jobs.map((job) => planOne(job, before, options));
  const outs = new Set(jobs.map((job) => job.out));
  const others = before.filter((entry) => !outs.has(entry.out));
  return { plan, manifest: { version: 1, updatedAt: new Date().toISOString(), jobs: [...plan.map((p) => p.entry), ...others] } };
}

function planOne(job: BatchJob, before: readonly ManifestEntry[], options: PlanBatchOptions): PlannedJob {
  const overwrite = options.overwrite ?? false;
  const same = before.find((entry) => entry.id === job.id);
  const fresh: ManifestEntry = { ...job, state: 'pending', attempts: 0 };
  if (same === undefined) {
    const replaced = before.find((entry) => entry.out === job.out);
    const ours = replaced !== undefined && madeOutput(replaced);
    return { job, action: 'run', restart: replaced ? 'inputs changed' : undefined, overwrite: overwrite || ours, resume: false, entry: fresh };
  }
  const kept: ManifestEntry = { ...same, ...job };
  if (same.state === 'done') {
    if (options.outputExists(job.out)) return { job, action: 'skip', overwrite: false, resume: false, entry: kept };
    return { job, action: 'run', restart: 'output missing', overwrite: true, resume: false, entry: { ...kept, state: 'pending' } };
  }
  if (same.state === 'failed') {
    return { job, action: 'run', restart: 'failed before', overwrite, resume: false, entry: { ...kept, state: 'pending' } };
  }
  const started = same.attempts > 0;
  return {
    job,
    action: 'run',
    restart: started ? 'interrupted' : undefined,
    overwrite: overwrite || started,
    resume: started && job.picks !== undefined,
    entry: { ...kept, state: 'pending' },
  };
}

/** Whether an entry's output was (or may have been) written by vidgan: it finished, or was stopped midway. */
function madeOutput(entry: ManifestEntry): boolean {
  return entry.state === 'done' || (entry.state !== 'failed' && entry.attempts > 0);
}
