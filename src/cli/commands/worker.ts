import { basename } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { QUEUE_NAME_OPTION } from '../queue-options';
import { parseQueueUrl, queueUrlOf } from '../../jobs/queue/parse-queue-url';
import { DEFAULT_LOCK_SECONDS, type QueueWorkerEvent, startQueueWorker } from '../../jobs/queue/start-queue-worker';
import { CancelledError } from '../../pipeline/errors';

/** Arguments of `vidgan worker`. */
export interface WorkerArgs {
  readonly queue: string;
  readonly queueName: string;
  readonly concurrency: number;
  readonly lockSeconds: number;
  readonly device: 'cpu' | 'cuda';
  readonly threads?: number;
  readonly name?: string;
  readonly progress: boolean;
}

/**
 * `vidgan worker --queue redis://host:port[/db]`: takes conversion jobs from the queue until stopped.
 * Ctrl-C lets the running jobs finish (and takes no more); a second Ctrl-C (or SIGTERM) stops them
 * and hands them back to the queue; a third exits at once.
 */
export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Take conversion jobs from a Redis queue (vidgan batch --queue) until stopped',
  builder: (yargs: Argv) =>
    yargs.options({
      queue: { type: 'string', demandOption: true, describe: 'The queue: redis://host:port[/db]' },
      ...QUEUE_NAME_OPTION,
      concurrency: { type: 'number', default: 1, describe: 'Jobs at once (1 keeps two cores busy: see docs/BATCH.md)' },
      'lock-seconds': { type: 'number', default: DEFAULT_LOCK_SECONDS, describe: "Seconds before a dead worker's job is given to another" },
      device: { choices: ['cpu', 'cuda'] as const, default: 'cpu' as const, describe: 'Where the model runs' },
      threads: { type: 'number', describe: 'libtorch threads (default: all cores)' },
      name: { type: 'string', describe: 'Name shown by vidgan queue status (default host:pid)' },
      progress: { type: 'boolean', default: false, describe: 'Print a line of progress about twice a second' },
    }) as unknown as Argv<WorkerArgs>,
  handler: async (argv: ArgumentsCamelCase<WorkerArgs>) => {
    const connection = parseQueueUrl(argv.queue);
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const worker = await startQueueWorker({
      connection,
      queueName: argv.queueName,
      concurrency: argv.concurrency,
      lockSeconds: argv.lockSeconds,
      device: argv.device,
      threads: argv.threads,
      name: argv.name,
      onEvent: (event) => {
        const line = describeEvent(event, argv.progress);
        if (line !== undefined) say(line);
      },
    });
    say(`Worker ${worker.name} takes jobs from ${queueUrlOf(connection)} (queue ${argv.queueName}, concurrency ${argv.concurrency}). Ctrl-C to stop.`);
    let stops = 0;
    let handedBack = false;
    const stopped = new Promise<void>((resolve) => {
      const stop = (how: 'finish' | 'hand back') => {
        stops += 1;
        if (stops === 1 && how === 'finish') {
          say('Stopping: the running jobs finish, no new one is taken (Ctrl-C again hands them back to the queue).');
          void worker.finish().then(resolve);
        } else if (!handedBack) {
          handedBack = true;
          say('Stopping: handing the running jobs back to the queue.');
          void worker.handBack().then(resolve);
        } else {
          process.exit(130);
        }
      };
      process.on('SIGINT', () => stop('finish'));
      process.on('SIGTERM', () => stop('hand back'));
    });
    await stopped;
    say(`Worker ${worker.name} stopped.`);
    if (handedBack) throw new CancelledError('Worker stopped; its running jobs went back to the queue.');
  },
};

function describeEvent(event: QueueWorkerEvent, progress: boolean): string | undefined {
  switch (event.type) {
    case 'start': {
      const again = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
      const removed = event.removed.length > 0 ? `; removed ${event.removed.join(', ')} left by the killed attempt` : '';
      const range = event.data.range;
      const step = event.step === 'range' && range ? ` frames ${range.from}…${range.to === undefined ? 'end' : range.to - 1} of` : event.step === 'convert' ? '' : ` ${event.step}`;
      return `start ${event.id}${step} ${event.data.job.video} -> ${event.data.job.out}${again}${removed}`;
    }
    case 'progress': {
      if (!progress) return undefined;
      const p = event.progress;
      return p.phase === 'train'
        ? `progress ${event.id} training step ${p.step}/${p.totalSteps}`
        : `progress ${event.id} ${p.frames}/${p.totalFrames ?? '?'} frames ${p.framesPerSecond.toFixed(1)} frames/s`;
    }
    case 'done':
      return `done ${event.id} ${basename(event.result.output)} (${event.result.frames} frames, ${event.result.framesPerSecond.toFixed(1)} frames/s)`;
    case 'failed':
      return `failed ${event.id}: ${event.reason}${event.final ? '' : ' (will be retried)'}`;
    case 'handed-back':
      return `handed back ${event.id}`;
  }
}
