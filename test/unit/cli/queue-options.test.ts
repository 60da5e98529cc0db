import yargs, { type Argv } from 'yargs';
import { batchCommand } from '../../../src/cli/commands/batch';
import { queueConflict, type QueuedBatchArgs } from '../../../src/cli/queue-options';
import { DEFAULT_CONCURRENCY } from '../../../src/jobs/batch/run-batch';

/** What `vidgan batch <argv>` parses to, through the command's own options and defaults. */
function parse(argv: string[]): QueuedBatchArgs {
  const builder = batchCommand.builder as (y: Argv) => Argv;
  return builder(yargs(argv)).parseSync() as unknown as QueuedBatchArgs;
}

describe('queueConflict', () => {
  const queued = ['talks/', '--model', 'm.safetensors', '--out', 'out', '--queue', 'redis://127.0.0.1:6379'];

  it('lets a queued batch with the defaults through', () => {
    expect(queueConflict(parse(queued), DEFAULT_CONCURRENCY)).toBeUndefined();
  });

  it('refuses --manifest, since the queue keeps the record', () => {
    expect(queueConflict(parse([...queued, '--manifest', 'm.json']), DEFAULT_CONCURRENCY)).toMatch(/^--manifest is not used with --queue/);
  });

  it("refuses what each worker chooses, naming every option given", () => {
    expect(queueConflict(parse([...queued, '--concurrency', '2']), DEFAULT_CONCURRENCY)).toMatch(/^--concurrency is chosen by each worker/);
    expect(queueConflict(parse([...queued, '--device', 'cuda', '--threads', '1']), DEFAULT_CONCURRENCY)).toMatch(
      /^--device, --threads are chosen by each worker with --queue: give them to vidgan worker/,
    );
  });

  it('refuses backgrounds the queue does not carry yet', () => {
    expect(queueConflict(parse([...queued, '--background', 'black']), DEFAULT_CONCURRENCY)).toMatch(/^--background and --alpha-from-white/);
    expect(queueConflict(parse([...queued, '--alpha-from-white', '8']), DEFAULT_CONCURRENCY)).toMatch(/^--background and --alpha-from-white/);
  });
});
