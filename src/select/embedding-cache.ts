import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/write-file-atomic';
import { BadInputError } from '../pipeline/errors';

/** What an embedding cache file holds. */
export interface CachedEmbeddings {
  /** sha256 of the video's bytes and the options: a cache with another key is stale. */
  readonly key: string;
  readonly embeddings: Float32Array[];
}

/**
 * The cache key of a video's embeddings: sha256 over the file's bytes and the options that shape
 * the embeddings (sampling, crop, feature version), so an edited, re-encoded or replaced video, or
 * other options, never reuse a stale cache.
 *
 * @example await embeddingCacheKey('clip.mp4', { fps: 10, crop: 400, version: 'pooled-1' })
 * @throws {BadInputError} when the video cannot be read.
 */
export async function embeddingCacheKey(video: string, options: Readonly<Record<string, string | number>>): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(video)) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new BadInputError(`Video ${video} does not exist or cannot be read.`, { cause, path: video });
  }
  hash.update(JSON.stringify(Object.entries(options).sort(([a], [b]) => a.localeCompare(b))));
  return hash.digest('hex');
}

/**
 * The cache file beside `video` for the given options tag: `clip.mp4.vidgan-embeddings-f10-c400.json`.
 *
 * @example embeddingCachePath('in/clip.mp4', 'f10-c400') // 'in/clip.mp4.vidgan-embeddings-f10-c400.json'
 */
export function embeddingCachePath(video: string, tag: string): string {
  return `${video}.vidgan-embeddings-${tag}.json`;
}

/**
 * Reads a cache file; undefined when it is missing, unreadable, malformed or has another key.
 *
 * @example const cached = await readEmbeddingCache(path, key);
 */
export async function readEmbeddingCache(path: string, key: string): Promise<Float32Array[] | undefined> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as { key?: string; size?: number; count?: number; data?: string };
    if (json.key !== key || typeof json.size !== 'number' || typeof json.count !== 'number' || typeof json.data !== 'string') return undefined;
    const bytes = Buffer.from(json.data, 'base64');
    if (bytes.length !== json.size * json.count * 4) return undefined;
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    return Array.from({ length: json.count }, (_, i) => all.slice(i * json.size!, (i + 1) * json.size!));
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file atomically. Returns false (and writes nothing) when the folder is not
 * writable: the cache only saves time, so its absence is no error.
 *
 * @example await writeEmbeddingCache(path, { key, embeddings });
 */
export async function writeEmbeddingCache(path: string, contents: CachedEmbeddings): Promise<boolean> {
  const size = contents.embeddings[0]?.length ?? 0;
  const all = new Float32Array(size * contents.embeddings.length);
  contents.embeddings.forEach((e, i) => all.set(e, i * size));
  const data = Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString('base64');
  try {
    await writeFileAtomic(path, JSON.stringify({ key: contents.key, size, count: contents.embeddings.length, data }));
    return true;
  } catch {
    return false;
  }
}
