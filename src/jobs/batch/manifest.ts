import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../io/write-file-atomic';
import { BadInputError } from '../../pipeline/errors';
import type { BatchJob } from './batch-job';

/** Where a job stands: `running` left in a manifest means the run that started it was killed. */
export type BatchJobState = 'pending' | 'running' | 'done' | 'failed';

/** A job's error as the manifest keeps it. */
export interface BatchJobError {
  /** A {@link VidganErrorCode}, or `'UNEXPECTED'` for an error that is not a VidganError (a bug). */
  readonly code: string;
  readonly message: string;
}

/** One job's line in the manifest: the job, its state and what happened the last time it ran. */
export interface ManifestEntry extends BatchJob {
  readonly state: BatchJobState;
  /** How many times a run has started this job. */
  readonly attempts: number;
  /** ISO times of the last start and end. */
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Wall time of the last attempt, seconds. */
  readonly seconds?: number;
  /** Frames written by the last successful attempt, and its streaming rate. */
  readonly frames?: number;
  readonly framesPerSecond?: number;
  /** Why the last attempt failed or stopped (`CANCELLED` for an interrupted job back to `pending`). */
  readonly error?: BatchJobError;
}

/** The contents of `vidgan-batch.json`. */
export interface BatchManifest {
  readonly version: 1;
  readonly updatedAt: string;
  readonly jobs: readonly ManifestEntry[];
}

/** The manifest's file name in a batch's output folder. */
export const MANIFEST_NAME = 'vidgan-batch.json';

/**
 * Reads a batch manifest; `undefined` when there is none yet.
 *
 * @example
 * const manifest = await readManifest('out/vidgan-batch.json');
 * @throws {BadInputError} when the file is not a vidgan batch manifest.
 */
export async function readManifest(path: string): Promise<BatchManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BadInputError(`Cannot read the batch manifest ${path} (${(cause as NodeJS.ErrnoException).code}). Check its permissions.`, { path, cause });
  }
  const bad = (why: string, cause?: unknown) =>
    new BadInputError(`${path} is not a vidgan batch manifest (${why}). Move it away to start the batch afresh, or choose another output folder.`, { path, cause });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw bad('not valid JSON', cause);
  }
  const manifest = value as Partial<BatchManifest> | null;
  if (typeof manifest !== 'object' || manifest === null || manifest.version !== 1 || !Array.isArray(manifest.jobs)) throw bad('no version 1 and jobs list');
  for (const entry of manifest.jobs) {
    if (typeof entry?.id !== 'string' || typeof entry.out !== 'string' || typeof entry.video !== 'string' || !['pending', 'running', 'done', 'failed'].includes(entry.state)) {
      throw bad(`a job entry without id, video, out and state: ${JSON.stringify(entry).slice(0, 120)}`);
    }
  }
  return manifest as BatchManifest;
}

/**
 * Writes a batch manifest atomically with {@link writeFileAtomic}: to a unique temporary name beside
 * it, flushed to disk, renamed over `path`, then its folder flushed, so a reader (or a rerun after a
 * kill or a power cut) sees either the old or the new manifest, never half of one.
 *
 * @example
 * await writeManifest('out/vidgan-batch.json', manifest);
 * @throws {OutputError} when it cannot be written (disk full, no permission, folder gone); nothing
 *   half-written is left behind.
 */
export async function writeManifest(path: string, manifest: BatchManifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
