import { resolveFfmpegPath } from '../../stages/ffmpeg/ffmpeg-path';
import { OUTPUT_FORMAT_NAMES, OUTPUT_FORMATS } from '../../stages/ffmpeg/output-format';
import { spawnFfmpeg } from '../../stages/ffmpeg/spawn-ffmpeg';
import type { DoctorCheck } from './doctor-check';
import { parseEncoders, parseFfmpegVersion } from './parse-ffmpeg-info';

/**
 * The oldest FFmpeg release vidgan runs on: 4.0. The bundled static build (`@ffmpeg-installer`) is
 * 4.1 and every argument vidgan passes (fps and crop filters, `-movflags +faststart`, framecrc) is
 * older than 4.0.
 */
export const MIN_FFMPEG_RELEASE = [4, 0] as const;

/** The output format every job writes unless told otherwise; the others are optional. */
const REQUIRED_FORMAT = 'mp4-h264';

const FFMPEG_FIX =
  'Set FFMPEG_PATH to an ffmpeg 4.0 or newer executable (e.g. apt-get install ffmpeg, then FFMPEG_PATH=/usr/bin/ffmpeg), ' +
  'or unset it and reinstall the bundled one: npm ci (it comes with @ffmpeg-installer/ffmpeg).';

/**
 * Checks the ffmpeg vidgan would run: where it is, that it starts, its version, and the encoders each
 * output format needs (`OUTPUT_FORMATS`: libx264 + aac for mp4, required; prores_ks + aac for mov and
 * libvpx-vp9 + libopus for webm, optional). Without a working ffmpeg there is no encoders check.
 *
 * @example
 * const [ffmpeg, encoders] = await checkFfmpeg();
 */
export async function checkFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<DoctorCheck[]> {
  let path: string;
  try {
    path = resolveFfmpegPath(env);
  } catch (error) {
    // The first sentence says what is missing; the fix comes with the check.
    const what = (error as Error).message.split('. ')[0] ?? '';
    return [missing(`${what.replace(/\.$/, '')}.`, { path: env.FFMPEG_PATH ?? null })];
  }
  const source = env.FFMPEG_PATH ? 'FFMPEG_PATH' : '@ffmpeg-installer/ffmpeg';
  const versionRun = await stdoutOf(path, ['-hide_banner', '-version']);
  if (versionRun.error !== undefined) {
    return [missing(`ffmpeg at ${path} (from ${source}) does not run: ${versionRun.error}.`, { path, source })];
  }
  const version = parseFfmpegVersion(versionRun.stdout);
  const details = { path, source, version: version?.name ?? null, release: version?.release?.join('.') ?? null, libavutil: version?.libavutil?.join('.') ?? null };
  const tooOld = version?.release !== undefined && compare(version.release, MIN_FFMPEG_RELEASE) < 0;
  const described = version === undefined ? 'unknown version' : describeVersion(version.name, version.release, version.libavutil);
  const ffmpeg: DoctorCheck = tooOld
    ? {
        id: 'ffmpeg',
        status: 'fail',
        required: true,
        summary: `${path} (from ${source}) is ffmpeg ${described}, older than ${MIN_FFMPEG_RELEASE.join('.')}.`,
        fix: FFMPEG_FIX,
        code: 'FFMPEG_FAILED',
        details,
      }
    : { id: 'ffmpeg', status: 'ok', required: true, summary: `${path} (from ${source}), ${described}.`, details };
  return [ffmpeg, await checkEncoders(path, source)];
}

async function checkEncoders(path: string, source: string): Promise<DoctorCheck> {
  const run = await stdoutOf(path, ['-hide_banner', '-encoders']);
  const available = parseEncoders(run.stdout);
  const formats = OUTPUT_FORMAT_NAMES.map((name) => {
    const format = OUTPUT_FORMATS[name];
    const needs = [format.codec, format.audioCodec];
    return { format: name, needs, missing: needs.filter((encoder) => !available.has(encoder)), required: name === REQUIRED_FORMAT };
  });
  const details = { formats };
  const missingRequired = formats.filter((f) => f.required && f.missing.length > 0);
  const missingOptional = formats.filter((f) => !f.required && f.missing.length > 0);
  const listed = formats.map((f) => `${f.format}: ${f.needs.join(' + ')}${f.missing.length > 0 ? ` (missing ${f.missing.join(', ')})` : ''}`).join('; ');
  const fix =
    `Use an ffmpeg with ${[...new Set([...missingRequired, ...missingOptional].flatMap((f) => f.missing))].join(', ')} ` +
    `(the bundled @ffmpeg-installer build has them all${source === 'FFMPEG_PATH' ? ': unset FFMPEG_PATH' : ''}; ` +
    "Debian's and Ubuntu's ffmpeg package has them too).";
  if (missingRequired.length > 0) {
    return { id: 'encoders', status: 'fail', required: true, summary: `${listed}.`, fix, code: 'FFMPEG_FAILED', details };
  }
  if (missingOptional.length > 0) {
    return {
      id: 'encoders',
      status: 'warn',
      required: false,
      summary: `${listed}. Only ${missingOptional.map((f) => f.format).join(' and ')} output is unavailable.`,
      fix,
      details,
    };
  }
  return { id: 'encoders', status: 'ok', required: true, summary: `${listed}.`, details };
}

function missing(summary: string, details: Record<string, unknown>): DoctorCheck {
  return { id: 'ffmpeg', status: 'fail', required: true, summary, fix: FFMPEG_FIX, code: 'FFMPEG_FAILED', details };
}

function describeVersion(name: string, release?: readonly [number, number], libavutil?: readonly [number, number]): string {
  const numbered = /^n?\d+\.\d+/.test(name);
  if (numbered) return `version ${name}`;
  return `version ${name}${release ? ` (a git build of the FFmpeg ${release[0]}.x era: libavutil ${libavutil?.join('.')})` : ''}`;
}

function compare(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

/** Runs ffmpeg with `args` and returns its stdout (`-version` and `-encoders` print there). */
async function stdoutOf(path: string, args: string[]): Promise<{ stdout: string; error?: string }> {
  const proc = spawnFfmpeg(args, { ffmpegPath: path });
  proc.stdin.end();
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exit = await proc.exit;
  const stdout = Buffer.concat(chunks).toString('utf8');
  if (exit.spawnError !== undefined) return { stdout, error: exit.spawnError.message };
  if (exit.code !== 0) return { stdout, error: `exit ${exit.code ?? exit.signal}${exit.stderrTail ? `: ${exit.stderrTail.trim().split('\n').pop()}` : ''}` };
  return { stdout };
}
