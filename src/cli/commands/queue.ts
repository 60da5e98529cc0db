import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { QUEUE_NAME_OPTION } from '../queue-options';
import { parseQueueUrl, queueUrlOf } from '../../jobs/queue/parse-queue-url';
import { type QueueStatusJob, type QueueStatusReport, queueStatus } from '../../jobs/queue/queue-status';

/** Arguments of `vidgan queue status`. */
export interface QueueArgs {
  readonly action: 'status';
  readonly queue: string;
  readonly queueName: string;
  readonly json: boolean;
}

/** `vidgan queue status --queue redis://…`: the queue's jobs (state, attempts, reasons) and its workers. */
export const queueCommand: CommandModule<object, QueueArgs> = {
  command: 'queue <action>',
  describe: "List a Redis queue's conversion jobs and workers (action: status)",
  builder: (yargs: Argv) =>
    yargs
      .positional('action', { choices: ['status'] as const, demandOption: true, describe: 'status: jobs and workers' })
      .options({
        queue: { type: 'string', demandOption: true, describe: 'The queue: redis://host:port[/db]' },
        ...QUEUE_NAME_OPTION,
        json: { type: 'boolean', default: false, describe: 'Print the status as JSON' },
      }) as unknown as Argv<QueueArgs>,
  handler: async (argv: ArgumentsCamelCase<QueueArgs>) => {
    const connection = parseQueueUrl(argv.queue);
    const status = await queueStatus(connection, argv.queueName);
    process.stdout.write(argv.json ? `${JSON.stringify(status, null, 2)}\n` : describeStatus(status, `${argv.queueName} on ${queueUrlOf(connection)}`));
  },
};

function describeStatus(status: QueueStatusReport, where: string): string {
  const counts = Object.entries(status.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  const lines = [
    `Queue ${where}: ${counts.length === 0 ? 'no jobs' : counts.join(', ')}.`,
    `Workers (${status.workers.length}): ${status.workers.map((w) => `${w.name} (${w.address}, connected ${w.ageSeconds}s)`).join(', ') || 'none'}`,
    ...status.jobs.map(describeJob),
  ];
  return `${lines.join('\n')}\n`;
}

function describeJob(job: QueueStatusJob): string {
  const head = `  ${job.state.padEnd(10)} ${job.id}  ${job.job.video} -> ${job.job.out}`;
  if (job.state === 'completed' && job.result) {
    return `${head} (${job.result.frames} frames, ${job.result.framesPerSecond.toFixed(1)} frames/s, by ${job.result.worker})`;
  }
  if (job.state === 'failed') return `${head}: ${job.failedReason ?? 'no reason recorded'} (attempts ${job.attemptsMade})`;
  const p = job.progress;
  const at = p === undefined ? '' : p.phase === 'train' ? `, training step ${p.step}/${p.totalSteps}` : `, ${p.frames}/${p.totalFrames ?? '?'} frames`;
  const by = p === undefined || job.state !== 'active' ? '' : ` on ${p.worker}`;
  const last = job.failedReason ? `; last attempt: ${job.failedReason}` : '';
  return `${head} (attempt ${Math.max(job.attemptsStarted, 1)}${job.state === 'active' ? at + by : ''}${last})`;
}
