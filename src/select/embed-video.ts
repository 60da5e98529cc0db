import { lastValueFrom, tap, toArray } from 'rxjs';
import { DEFAULT_CROP, DEFAULT_FPS } from '../pipeline/default-sampling';
import { FrameBudget } from '../pipeline/frame-budget';
import { expectInteger, expectNumber } from '../pipeline/validate';
import { decodeVideo } from '../stages/decode-video';
import { sampledFrameCount } from '../stages/ffmpeg/parse-probe';
import { embedFrames } from './embed-frames';
import { embeddingCacheKey, embeddingCachePath, readEmbeddingCache, writeEmbeddingCache } from './embedding-cache';
import { EMBEDDING_VERSION } from './frame-embedding';

/** Options of {@link embedVideo}. */
export interface EmbedVideoOptions {
  /** Sampling rate; frame i is the frame `vidgan extract` writes as i. Default {@link DEFAULT_FPS} (10). */
  readonly fps?: number;
  /** Centre crop, as `extract` and `process` take it. Default {@link DEFAULT_CROP} (400). */
  readonly crop?: number;
  /** Read and write the cache beside the video. Default true. */
  readonly cache?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each frame while embedding (not when the cache answered); `total` from the probe. */
  readonly onProgress?: (framesDone: number, total: number | undefined) => void;
}

/** The embeddings of every frame of a video. */
export interface VideoEmbeddings {
  readonly video: string;
  readonly fps: number;
  readonly crop: number;
  /** One per frame, in frame order (`embeddings[i]` is frame i). */
  readonly embeddings: Float32Array[];
  /** Whether they came from the cache file. */
  readonly fromCache: boolean;
  /** The cache file; undefined when caching is off or its folder is not writable. */
  readonly cachePath?: string;
}

/**
 * Embeds every frame of a video ({@link embedFrame}) in one streaming pass with a 16-frame budget,
 * so memory stays flat whatever the length, and caches the result beside the video
 * (`<video>.vidgan-embeddings-f<fps>-c<crop>.json`, keyed by the video's bytes and the options), so
 * `suggest`, `outliers`, `similar` and the report reuse it.
 *
 * @example
 * const { embeddings } = await embedVideo('clip.mp4'); // embeddings[i] is frame i at 10 fps, 400x400
 * @throws {InvalidOptionError} for a bad fps or crop.
 * @throws {BadInputError}, {FfmpegError}, {CancelledError} as {@link decodeVideo}.
 */
export async function embedVideo(video: string, options: EmbedVideoOptions = {}): Promise<VideoEmbeddings> {
  const fps = expectNumber('fps', options.fps ?? DEFAULT_FPS, 0.001, 1000);
  const crop = expectInteger('crop', options.crop ?? DEFAULT_CROP, 1, 8192);
  const cache = options.cache ?? true;
  const path = embeddingCachePath(video, `f${fps}-c${crop}`);
  const key = cache ? await embeddingCacheKey(video, { fps, crop, version: EMBEDDING_VERSION }) : '';
  if (cache) {
    const cached = await readEmbeddingCache(path, key);
    if (cached !== undefined) return { video, fps, crop, embeddings: cached, fromCache: true, cachePath: path };
  }
  const budget = new FrameBudget(16);
  let total: number | undefined;
  let done = 0;
  const frames = await lastValueFrom(
    decodeVideo(video, {
      fps,
      crop,
      budget,
      signal: options.signal,
      onInfo: (info) => (total = info.durationSec === undefined ? undefined : sampledFrameCount(info.durationSec, fps)),
    }).pipe(
      embedFrames({ budget }),
      tap(() => options.onProgress?.(++done, total)),
      toArray(),
    ),
  );
  const embeddings = frames.map((f) => f.embedding);
  const written = cache && (await writeEmbeddingCache(path, { key, embeddings }));
  return { video, fps, crop, embeddings, fromCache: false, ...(written ? { cachePath: path } : {}) };
}
