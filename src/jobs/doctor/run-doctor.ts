import { defaultBasePath, GUIDED_BASE_SPEC } from '../../gan/default-base';
import { checkBaseModel } from './check-base-model';

import { checkEngine } from './check-engine';
import { checkFfmpeg } from './check-ffmpeg';
import type { DoctorReport } from './doctor-check';

/** Options of {@link runDoctor}. */
export interface RunDoctorOptions {
  /** Environment to read `FFMPEG_PATH`, `LIBTORCH`, `OMP_NUM_THREADS`, … from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** The base checkpoint to check. Default: the bundled one. */
  readonly basePath?: string;
}

/**
 * Looks at what vidgan runs on: ffmpeg (path, version, the encoders of each output format), the
 * native engine (where libtorch was found, its version, CUDA, threads) and the bundled base model.
 * Each check says what it found and, when something is missing, too old or unused, the fix. Nothing
 * throws: a problem is a check with status `fail` (required) or `warn`.
 *
 * @example
 * const report = await runDoctor();
 * for (const c of report.checks) console.log(c.status, c.id, c.summary, c.fix ?? '');
 */
export async function runDoctor(options: RunDoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const checks = [...(await checkFfmpeg(env)), ...checkEngine(env), await checkBaseModel(options.basePath), ...(options.basePath === undefined ? [await checkBaseModel(defaultBasePath(GUIDED_BASE_SPEC), 'guided-base-model')] : [])];
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}
