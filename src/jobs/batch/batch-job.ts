import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** One video to convert in a batch: its input, its output, and how its model is got. */
export interface BatchJob {
  /** Stable id: a hash of the resolved paths below (see {@link batchJobId}). */
  readonly id: string;
  /** The source video (absolute). */
  readonly video: string;
  /** The output MP4 (absolute). */
  readonly out: string;
  /** A picks file to drill-train on for this video (absolute), when it has its own edits. */
  readonly picks?: string;
  /** A trained model to apply (absolute), for a job without picks. */
  readonly model?: string;
  /** Checkpoint to start drill training from (absolute, or `'none'`); default the bundled base. */
  readonly base?: string;
}

/** The paths a {@link BatchJob} is made of, before its id is computed. */
export type BatchJobSpec = Omit<BatchJob, 'id'>;

/**
 * A job's id: the first 16 hex digits of the SHA-256 of its resolved video, output, picks, model and
 * base. The same inputs give the same id on every run (and on every machine sharing the paths), so a
 * rerun recognises finished work and a job whose inputs changed is done again.
 *
 * @example
 * batchJobId({ video: '/v/a.mp4', out: '/o/a.mp4', model: '/m.safetensors' }); // '5c1e…' (16 hex)
 */
export function batchJobId(spec: BatchJobSpec): string {
  const key = JSON.stringify([spec.video, spec.out, spec.picks ?? null, spec.model ?? null, spec.base ?? null]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * Makes a {@link BatchJob}: resolves every path against `cwd` (default the process's) and adds its id.
 *
 * @example
 * makeBatchJob({ video: 'talks/a.mp4', out: 'out/a.mp4', model: 'model.safetensors' });
 */
export function makeBatchJob(spec: BatchJobSpec, cwd = process.cwd()): BatchJob {
  const at = (path: string | undefined) => (path === undefined ? undefined : resolve(cwd, path));
  const resolved: BatchJobSpec = {
    video: resolve(cwd, spec.video),
    out: resolve(cwd, spec.out),
    ...(spec.picks === undefined ? {} : { picks: at(spec.picks) }),
    ...(spec.model === undefined ? {} : { model: at(spec.model) }),
    ...(spec.base === undefined ? {} : { base: spec.base === 'none' ? 'none' : at(spec.base) }),
  };
  return { id: batchJobId(resolved), ...resolved };
}
