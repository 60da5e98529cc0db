#!/usr/bin/env node
/**
 * The `vidgan` command line: registers one yargs module per command, maps errors to exit codes and
 * prints one paragraph per error (the stack and details only with --verbose).
 */
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { FfmpegError, InvalidOptionError, VidganError } from '../pipeline/errors';
import { batchCommand } from './commands/batch';
import { doctorCommand } from './commands/doctor';
import { evalCommand } from './commands/eval';
import { extractCommand } from './commands/extract';
import { infoCommand } from './commands/info';
import { pretrainCommand } from './commands/pretrain';
import { processCommand } from './commands/process';
import { queueCommand } from './commands/queue';
import { workerCommand } from './commands/worker';
import { outliersCommand } from './commands/outliers';
import { similarCommand } from './commands/similar';
import { suggestCommand } from './commands/suggest';
import { exitCodeFor } from './exit-codes';

/** Every command, in the order `--help` lists them. Add a new command module here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const COMMANDS: ReadonlyArray<CommandModule<any, any>> = [extractCommand, suggestCommand, processCommand, outliersCommand, similarCommand, batchCommand, workerCommand, queueCommand, pretrainCommand, infoCommand, evalCommand, doctorCommand];

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit status.
 *
 * @example
 * process.exitCode = await main(['extract', 'clip.mp4', '--out', 'frames']);
 */
export async function main(argv: readonly string[]): Promise<number> {
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  const parser = yargs([...argv])
    .scriptName('vidgan')
    .usage('$0 <command> [options]')
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Print stacks and ffmpeg output on errors' })
    .demandCommand(1, 'Name a command.')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    // Usage mistakes (unknown command, missing argument) become InvalidOptionErrors; errors of a
    // command's handler pass through unchanged.
    .fail((message, error) => {
      throw error ?? new InvalidOptionError(`${message} See vidgan --help.`);
    });
  for (const command of COMMANDS) parser.command(command);
  try {
    const parsed = await parser.parseAsync();
    verbose = Boolean(parsed.verbose);
    return 0;
  } catch (error) {
    report(error, verbose);
    return error instanceof VidganError ? exitCodeFor(error) : 1;
  }
}

function report(error: unknown, verbose: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`vidgan: ${message}\n`);
  if (!verbose) return;
  if (error instanceof FfmpegError && error.stderrTail !== '') process.stderr.write(`ffmpeg stderr:\n${error.stderrTail}\n`);
  if (error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) process.stderr.write(`caused by: ${cause.stack ?? cause.message}\n`);
}

if (require.main === module) {
  void main(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
