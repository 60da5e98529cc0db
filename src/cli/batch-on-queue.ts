import { basename } from 'node:path';
import type { BatchJob } from '../jobs/batch/batch-job';
import type { BatchJobResult, BatchReport } from '../jobs/batch/run-batch';
import { type EnqueueBatchOptions, type EnqueuedJob, enqueueBatch } from '../jobs/queue/enqueue-batch';
import { followQueueJobs, type QueueJobOutcome } from '../jobs/queue/follow-queue-jobs';
import { parseFailedReason } from '../jobs/queue/queue-error';
import { queueUrlOf } from '../jobs/queue/parse-queue-url';
import { outputTarget } from '../stages/output-target';
import { progressBar } from './format-duration';
import { interruptSignal } from './interrupt';
import { statusLine } from './status-line';

/** Options of {@link batchOnQueue}. */
export interface BatchOnQueueOptions extends EnqueueBatchOptions {
  /** Return once enqueued instead of following the jobs to their end. */
  readonly detach: boolean;
  readonly json: boolean;
  readonly progress: boolean;
}

/**
 * `vidgan batch … --queue redis://…`: enqueues the batch's jobs (the same jobs and options a local
 * batch runs) and, unless detached, follows them until each is done or failed for good, reporting
 * as a local batch does (done, failed with its reason, skipped when done before). Returns undefined
 * when detached.
 *
 * @example
 * const report = await batchOnQueue(jobs, { connection, crop: 256, detach: false, json: false, progress: false });
 */
export async function batchOnQueue(jobs: readonly BatchJob[], options: BatchOnQueueOptions): Promise<BatchReport | undefined> {
  const started = performance.now();
  const { detach, json, progress, ...enqueueOptions } = options;
  const queued = await enqueueBatch(jobs, enqueueOptions);
  const where = `queue ${options.queueName ?? 'vidgan'} on ${queueUrlOf(options.connection)}`;
  if (!json) {
    for (const q of queued) process.stderr.write(`${q.action.padEnd(6)} ${q.id} ${q.job.video}${q.restart ? ` (again: ${q.restart})` : ''}\n`);
  }
  if (detach) {
    const added = queued.filter((q) => q.action === 'added' || q.action === 'again').length;
    process.stdout.write(
      json
        ? `${JSON.stringify({ queue: queueUrlOf(options.connection), jobs: queued }, null, 2)}\n`
        : `Queued ${added} of ${queued.length} jobs on the ${where} (${queued.length - added} queued or done before). ` +
            `Workers (vidgan worker --queue ${queueUrlOf(options.connection)}) run them; vidgan queue status shows them.\n`,
    );
    return undefined;
  }
  const line = statusLine({ force: progress });
  const byId = new Map(queued.map((q) => [q.id, q]));
  try {
    const outcomes = await followQueueJobs(
      queued.map((q) => q.id),
      {
        connection: options.connection,
        queueName: options.queueName,
        signal: interruptSignal(),
        onProgress: (id, p) => {
          const name = basename(byId.get(id)?.job.video ?? id);
          if (p.phase === 'train') line.draw(`${name} training step ${p.step}/${p.totalSteps} on ${p.worker}`);
          else if (p.phase === 'frames') line.draw(`${name} ${progressBar(p.totalFrames ? p.frames / p.totalFrames : 0, 16)} ${p.frames}/${p.totalFrames ?? '?'} ${p.framesPerSecond.toFixed(1)} frames/s on ${p.worker}`);
        },
        onEnd: () => line.end(),
      },
    );
    const results = outcomes.map((o) => resultOf(o, byId.get(o.id) as EnqueuedJob));
    return {
      jobs: results,
      succeeded: results.filter((r) => r.state === 'done'),
      failed: results.filter((r) => r.state === 'failed'),
      skipped: results.filter((r) => r.state === 'skipped'),
      manifest: where,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    line.end();
  }
}

function resultOf(outcome: QueueJobOutcome, queued: EnqueuedJob): BatchJobResult {
  const { job, restart } = queued;
  if (outcome.state === 'failed') return { job, state: 'failed', restart, error: parseFailedReason(outcome.failedReason ?? '') };
  if (queued.action === 'done') return { job, state: 'skipped' };
  const r = outcome.result;
  return { job, state: 'done', restart, format: outputTarget(job.out).label, frames: r?.frames, framesPerSecond: r?.framesPerSecond, seconds: r?.seconds };
}

/** The summary's mention of where the record is: "manifest <file>", or the queue. */
export function recordName(report: BatchReport, shown: (path: string) => string): string {
  return report.manifest.startsWith('queue ') ? report.manifest : `manifest ${shown(report.manifest)}`;
}
