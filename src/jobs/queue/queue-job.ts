import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parsePicks } from '../../drill/parse-picks';
import type { DrillOptions } from '../../drill/train-drill';
import { BadInputError } from '../../pipeline/errors';
import type { BatchJob } from '../batch/batch-job';
import type { FrameRange } from './frame-ranges';

/**
 * The options of a queued job that decide its output: the same for every worker, so they travel in
 * the job. How a worker runs (device, threads) is the worker's own and not part of the job.
 */
export interface QueueJobOptions {
  readonly fps?: number;
  readonly crop?: number;
  readonly crf?: number;
  readonly training?: Omit<DrillOptions, 'signal' | 'onProgress' | 'onCheckpoint'>;
  readonly guides?: readonly string[];
  readonly alphaPriorGuide?: string | null;
  /** Lower the person prior where the edits erased what it marks (`ProcessVideoOptions.priorVeto`). Default true. */
  readonly priorVeto?: boolean;
  /** Carry what the edits painted over to the frames around them (`ProcessVideoOptions.paint`). Default true. */
  readonly paint?: boolean;
  /** Erase what the model kept apart from the subject where the carried edits erased it (`ProcessVideoOptions.dropStrays`). Default true. */
  readonly dropStrays?: boolean;
  /** Train each pick also with the guides of a frame this many frames away (`ProcessVideoOptions.roundTrip`). Default 3, or 0 when the edits paint. */
  readonly roundTrip?: number;
  /** Train also on the frames this many frames beside each pick, its edit carried there (`ProcessVideoOptions.neighbours`). Default 2, or 0 when the edits paint. */
  readonly neighbours?: number;
  /** Replace an output that exists and that no earlier attempt of this job wrote. Default false. */
  readonly overwrite?: boolean;
}

/** SHA-256 of the files a job reads (hex), so that its id changes when any of them changes. */
export interface ContentHashes {
  readonly video: string;
  /** The picks file and every edited image it names, in order. */
  readonly picks?: string;
  readonly model?: string;
  /** The base checkpoint named by the job (absent: the bundled base, or `'none'`). */
  readonly base?: string;
}

/** What a queued job carries: paths on storage every worker sees and their hashes, never frames. */
export interface QueueJobData {
  readonly version: 1;
  readonly job: BatchJob;
  readonly hashes: ContentHashes;
  readonly options: QueueJobOptions;
  /**
   * A job with picks becomes a flow (train, frame ranges of this many frames, assembly) when set;
   * not part of the id, since the output is the same however the frames are split.
   */
  readonly rangeFrames?: number;
  /** A flow's range step: the frames it makes. */
  readonly range?: FrameRange;
  /** A flow's assembly step: every range, in order. */
  readonly ranges?: readonly FrameRange[];
}

/**
 * The queue's id of a job: `v1-` and 16 hex digits of the SHA-256 of its output path, the content
 * hashes of what it reads and the options that decide its output. The same input and options give
 * the same id (on every machine), so enqueueing again adds nothing; a changed video, picks, model or
 * option gives a new job. `overwrite` is not part of it: it says what may be replaced, not what is made.
 *
 * @example
 * queueJobId({ version: 1, job, hashes: await contentHashes(job), options: { crop: 64 } }); // 'v1-3fa4…'
 */
export function queueJobId(data: QueueJobData): string {
  const { overwrite: _overwrite, ...decisive } = data.options;
  const key = JSON.stringify([data.job.out, data.job.base === 'none' ? 'none' : null, data.hashes, sortKeys(decisive)]);
  return `v1-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * Hashes the files a job reads: its video, its model or base, and its picks file with every edited
 * image that the file names.
 *
 * @example
 * await contentHashes(makeBatchJob({ video: 'a.mp4', out: 'out/a.mp4', model: 'm.safetensors' }));
 * @throws {BadInputError} when a file cannot be read (its path and why).
 */
export async function contentHashes(job: BatchJob): Promise<ContentHashes> {
  const video = await hashFile(job.video);
  const model = job.model === undefined ? undefined : await hashFile(job.model);
  const base = job.base === undefined || job.base === 'none' ? undefined : await hashFile(job.base);
  const picks = job.picks === undefined ? undefined : await hashPicks(job.picks);
  return { video, ...(picks === undefined ? {} : { picks }), ...(model === undefined ? {} : { model }), ...(base === undefined ? {} : { base }) };
}

async function hashPicks(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new BadInputError(`Cannot read the picks file ${path}: ${(error as Error).message}.`, { cause: error });
  });
  const hash = createHash('sha256').update(text);
  for (const spec of parsePicks(text, { source: path })) {
    const image = isAbsolute(spec.image) ? spec.image : resolve(dirname(path), spec.image);
    hash.update(`\n${await hashFile(image)}`);
  }
  return hash.digest('hex');
}

/**
 * SHA-256 of a file's bytes (hex), read as a stream.
 *
 * @example
 * await hashFile('talk.mp4'); // 'e3b0c442…'
 * @throws {BadInputError} when the file cannot be read.
 */
export function hashFile(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (error) => fail(new BadInputError(`Cannot read ${path}: ${error.message}.`, { cause: error })))
      .on('end', () => done(hash.digest('hex')));
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
