import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { DoctorCheck, DoctorReport } from '../../jobs/doctor/doctor-check';
import { runDoctor } from '../../jobs/doctor/run-doctor';
import { VidganError } from '../../pipeline/errors';

/** Arguments of `vidgan doctor`. */
export interface DoctorArgs {
  readonly json: boolean;
}

const TITLES: Readonly<Record<string, string>> = {
  ffmpeg: 'ffmpeg',
  encoders: 'encoders',
  libtorch: 'libtorch',
  cuda: 'CUDA',
  threads: 'threads',
  'base-model': 'base model',
  'guided-base-model': 'guided base',
};

/**
 * `vidgan doctor`: what vidgan runs on (ffmpeg and its encoders, libtorch, CUDA, threads, the bundled
 * base model), each with the fix when something is missing, too old or unused. Exits with the code of
 * the first failed required check (4 ffmpeg, 5 engine, 8 base model), else 0.
 */
export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check what vidgan runs on (ffmpeg, encoders, libtorch, CUDA, threads, base model) and say how to fix what is missing',
  builder: (yargs: Argv) =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' }) as unknown as Argv<DoctorArgs>,
  handler: async (argv: ArgumentsCamelCase<DoctorArgs>) => {
    const report = await runDoctor();
    process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : format(report));
    const failed = report.checks.filter((check) => check.status === 'fail');
    const first = failed[0];
    if (first === undefined) return;
    // main() prints this one line on stderr and turns the code into the exit status.
    throw new VidganError(
      first.code ?? 'BAD_INPUT',
      `${failed.length} required check${failed.length > 1 ? 's' : ''} failed (${failed.map((c) => TITLES[c.id] ?? c.id).join(', ')}). ${first.fix ?? ''}`.trim(),
    );
  },
};

function format(report: DoctorReport): string {
  const width = Math.max(...Object.values(TITLES).map((t) => t.length));
  const lines = report.checks.flatMap((check) => line(check, width));
  const warnings = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    report.ok
      ? `vidgan can run${warnings > 0 ? ` (${warnings} warning${warnings > 1 ? 's' : ''} above)` : ''}.`
      : 'vidgan cannot run until the failed checks above are fixed.',
  );
  return `${lines.join('\n')}\n`;
}

function line(check: DoctorCheck, width: number): string[] {
  const status = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' }[check.status];
  const head = `${status}  ${(TITLES[check.id] ?? check.id).padEnd(width)}  ${check.summary}`;
  return check.fix === undefined || check.status === 'ok' ? [head] : [head, `${' '.repeat(width + 8)}fix: ${check.fix}`];
}
