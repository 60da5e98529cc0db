import { basename, dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { BadInputError } from '../../pipeline/errors';
import { type BatchJob, makeBatchJob } from './batch-job';
import { checkDistinctOutputs, outputNameFor } from './output-name';

/** Options of {@link parseJobsFile} and {@link loadJobsFile}. */
export interface ParseJobsOptions {
  /** The jobs file's name, for messages. Default `'jobs file'`. */
  readonly source?: string;
  /** The folder relative paths are resolved against (the jobs file's folder). Default the current folder. */
  readonly baseDir?: string;
  /** Output folder for lines without `"out"` (relative to the current folder): `<outDir>/<video name>.mp4`. */
  readonly outDir?: string;
  /** The extension of outputs named after their video in `outDir` (default `.mp4`; `''` for folders of PNGs). */
  readonly suffix?: string;
  /** Model for lines with neither `"picks"` nor `"model"` (relative to the current folder). */
  readonly model?: string;
}

const KEYS = ['video', 'out', 'picks', 'model', 'base'] as const;
type Key = (typeof KEYS)[number];

/**
 * Parses a jobs file: JSON Lines, one object per job with `"video"` and optionally `"out"`,
 * `"picks"`, `"model"` and `"base"` (paths relative to the jobs file). Blank lines and lines starting
 * with `#` are skipped. A job needs `"picks"` (drill-train on its own edits) or a model (its own
 * `"model"`, or `options.model`), and an output (`"out"`, or `options.outDir`).
 *
 * @example
 * parseJobsFile('{"video": "week-1.mp4", "picks": "week-1/picks.txt"}\n', { baseDir: 'talks', outDir: 'out' });
 * @throws {BadInputError} `jobs.jsonl line 3: …` for a line that is not a JSON object, an unknown or
 *   mistyped key, a job without output or model, a file with no jobs, or two jobs with one output.
 */
export function parseJobsFile(text: string, options: ParseJobsOptions = {}): BatchJob[] {
  const source = options.source ?? 'jobs file';
  // --out and --model come from the command line: relative to the current folder, not the jobs file.
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir);
  const defaultModel = options.model === undefined ? undefined : resolve(options.model);
  const jobs: BatchJob[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${i + 1}`;
    const fields = parseLine(line, where);
    const video = fields.video;
    if (video === undefined) throw new BadInputError(`${where}: "video" is missing. Each line needs at least {"video": "<file>"}.`, { path: options.source });
    const out = fields.out ?? (outDir === undefined ? undefined : outputNameFor(video, outDir, options.suffix));
    if (out === undefined) {
      throw new BadInputError(`${where}: "out" is missing. Give the job an "out" file, or pass an output folder (--out).`, { path: options.source });
    }
    if (fields.picks !== undefined && fields.model !== undefined) {
      throw new BadInputError(
        `${where}: the job has both "picks" and "model". Give "picks" to train on its edits or "model" to apply a trained model; to start training from a checkpoint, use "base".`,
        { path: options.source },
      );
    }
    const model = fields.model ?? (fields.picks === undefined ? defaultModel : undefined);
    if (fields.picks === undefined && model === undefined) {
      throw new BadInputError(
        `${where}: the job has neither "picks" nor "model". Add "picks" (a picks file to train on) or "model" (a trained checkpoint), or pass --model for all jobs.`,
        { path: options.source },
      );
    }
    jobs.push(makeBatchJob({ video, out, picks: fields.picks, model, base: fields.base }, options.baseDir));
  });
  if (jobs.length === 0) throw new BadInputError(`${source} has no jobs. Write one JSON object per line, e.g. {"video": "a.mp4", "model": "m.safetensors"}.`, { path: options.source });
  try {
    checkDistinctOutputs(jobs);
  } catch (error) {
    throw new BadInputError(`${source}: ${(error as Error).message}`, { path: options.source, cause: error });
  }
  return jobs;
}

/**
 * Reads and parses a jobs file (see {@link parseJobsFile}); relative paths are resolved against its folder.
 *
 * @example
 * const jobs = await loadJobsFile('talks/jobs.jsonl', { outDir: 'out' });
 * @throws {BadInputError} when the file cannot be read, or for a malformed line (with its number).
 */
export async function loadJobsFile(path: string, options: Omit<ParseJobsOptions, 'source' | 'baseDir'> = {}): Promise<BatchJob[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new BadInputError(`Cannot read the jobs file ${path} (${code}). Check the path.`, { path, cause });
  }
  return parseJobsFile(text, { ...options, source: basename(path), baseDir: dirname(path) });
}

function parseLine(line: string, where: string): Partial<Record<Key, string>> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new BadInputError(`${where}: not valid JSON (${(cause as Error).message}). Write one object per line, e.g. {"video": "a.mp4", "model": "m.safetensors"}.`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadInputError(`${where}: expected a JSON object such as {"video": "a.mp4"} but found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`);
  }
  const fields: Partial<Record<Key, string>> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new BadInputError(`${where}: unknown key "${key}". The keys are ${KEYS.map((k) => `"${k}"`).join(', ')}.`);
    }
    if (typeof field !== 'string' || field === '') {
      throw new BadInputError(`${where}: "${key}" must be a non-empty string (a path) but is ${JSON.stringify(field)}.`);
    }
    fields[key as Key] = field;
  }
  return fields;
}
