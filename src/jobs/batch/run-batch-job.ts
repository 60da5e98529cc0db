import { type ProcessVideoOptions, type ProcessReport, processVideo } from '../process-video';
import type { BatchJob } from './batch-job';

/** Options of {@link runBatchJob}: processVideo's, less what the job itself names. */
export type RunBatchJobOptions = Omit<ProcessVideoOptions, 'video' | 'out' | 'picks' | 'model' | 'base' | 'saveModel' | 'matte'>;

/**
 * Runs one batch job: {@link processVideo}, which writes `<out>` under a unique temporary name and
 * renames it only when complete (so an output that exists is always whole), and removes that
 * temporary file before it returns or rejects. A job with picks keeps its trained model in
 * `<out>.model.safetensors`. This is the unit a distributed queue's worker would run (docs/BATCH.md).
 *
 * @example
 * await runBatchJob(makeBatchJob({ video: 'a.mp4', out: 'out/a.mp4', model: 'm.safetensors' }), { threads: 2 });
 * @throws whatever {@link processVideo} throws.
 */
export async function runBatchJob(job: BatchJob, options: RunBatchJobOptions = {}): Promise<ProcessReport> {
  return processVideo({ ...options, video: job.video, out: job.out, picks: job.picks, model: job.model, base: job.base });
}
