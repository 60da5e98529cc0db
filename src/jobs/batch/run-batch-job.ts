import { rm } from 'node:fs/promises';
import { type ProcessVideoOptions, type ProcessReport, processVideo } from '../process-video';
import { partialPathFor } from '../../stages/output-path';
import type { BatchJob } from './batch-job';

/** Options of {@link runBatchJob}: processVideo's, less what the job itself names. */
export type RunBatchJobOptions = Omit<ProcessVideoOptions, 'video' | 'out' | 'picks' | 'model' | 'base' | 'saveModel'>;

/**
 * Runs one batch job: removes the `.partial.mp4` a killed attempt may have left, then
 * {@link processVideo} (which writes `<out>.partial.mp4` and renames it only when complete, so an
 * output that exists is always whole). A job with picks keeps its trained model in
 * `<out>.model.safetensors`. This is the unit a distributed queue's worker would run (docs/BATCH.md).
 *
 * @example
 * await runBatchJob(makeBatchJob({ video: 'a.mp4', out: 'out/a.mp4', model: 'm.safetensors' }), { threads: 2 });
 * @throws whatever {@link processVideo} throws.
 */
export async function runBatchJob(job: BatchJob, options: RunBatchJobOptions = {}): Promise<ProcessReport> {
  await rm(partialPathFor(job.out), { force: true });
  return processVideo({ ...options, video: job.video, out: job.out, picks: job.picks, model: job.model, base: job.base });
}
