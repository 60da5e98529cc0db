import { mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { InvalidOptionError } from '../pipeline/errors';
import { outputFailure } from './output-failure';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/** Where one entry's planes lie in the file. */
interface Entry {
  readonly offset: number;
  /** Compressed length of each plane, in order. */
  readonly lengths: readonly number[];
  /** Uncompressed length of each plane. */
  readonly sizes: readonly number[];
}

/**
 * Byte planes by frame index, kept on disk, compressed, instead of in memory: a pass over a video
 * can leave one plane or two per frame (an alpha, a veto) for a later pass over the same frames, and
 * memory stays flat however long the video is (an alpha plane of a 400x400 frame, mostly 0 and 255,
 * compresses from 160 KB to a few KB). Planes are compressed on libuv's pool (zlib level 1) and
 * appended to one temporary file; the index of offsets is the only thing held.
 *
 * @example
 * const store = PlaneStore.create();
 * await store.put(12, [alpha, veto]);
 * const [a, v] = (await store.get(12))!;
 * store.remove();
 * @throws {OutputError} (as a rejection of `put`) when the temporary file cannot be written.
 */
export class PlaneStore {
  private readonly entries = new Map<number, Entry>();
  private file?: Promise<FileHandle>;
  private end = 0;
  private writing: Promise<void> = Promise.resolve();
  private removed = false;

  private constructor(private readonly folder: string) {}

  /** A new, empty store in a fresh folder under `parent` (default the system's temporary folder). */
  static create(parent: string = tmpdir()): PlaneStore {
    return new PlaneStore(mkdtempSync(path.join(parent, 'vidgan-planes-')));
  }

  /** False once {@link remove}d (also after a failed write, when its user drops it). */
  get usable(): boolean {
    return !this.removed;
  }

  /** Entries stored. */
  get size(): number {
    return this.entries.size;
  }

  has(index: number): boolean {
    return this.entries.has(index);
  }

  /**
   * Stores the planes of frame `index` (replacing what it had). Writes run one after another in call
   * order; the promise settles once these planes are on disk.
   *
   * @throws {InvalidOptionError} after {@link remove}.
   */
  put(index: number, planes: readonly Uint8Array[]): Promise<void> {
    if (this.removed) return Promise.reject(new InvalidOptionError('PlaneStore.put was called after remove(); create a new store.'));
    const compressed = Promise.all(planes.map((plane) => deflate(plane, { level: 1 })));
    const written = this.writing.then(async () => {
      const chunks = await compressed;
      const target = path.join(this.folder, 'planes.bin');
      const offset = this.end;
      const joined = Buffer.concat(chunks);
      this.end += joined.length;
      try {
        const file = await (this.file ??= open(target, 'w+'));
        await file.write(joined, 0, joined.length, offset);
      } catch (error) {
        throw outputFailure(error, target);
      }
      if (!this.removed) this.entries.set(index, { offset, lengths: chunks.map((c) => c.length), sizes: planes.map((p) => p.length) });
    });
    this.writing = written.catch(() => undefined);
    return written;
  }

  /** The planes of frame `index` as stored (waiting for writes in flight), or undefined if it has none. */
  async get(index: number): Promise<Uint8Array[] | undefined> {
    await this.writing;
    const entry = this.entries.get(index);
    if (entry === undefined || this.file === undefined || this.removed) return undefined;
    const total = entry.lengths.reduce((a, b) => a + b, 0);
    const bytes = Buffer.alloc(total);
    try {
      const { bytesRead } = await (await this.file).read(bytes, 0, total, entry.offset);
      if (bytesRead !== total) throw new Error(`read ${bytesRead} of ${total} bytes`);
    } catch (error) {
      // Removed meanwhile: as if it had never been stored.
      if (this.removed) return undefined;
      throw error;
    }
    let at = 0;
    return Promise.all(
      entry.lengths.map(async (length, k) => {
        const plane = new Uint8Array(await inflate(bytes.subarray(at, (at += length))));
        if (plane.length !== entry.sizes[k]) throw new InvalidOptionError(`PlaneStore: plane ${k} of frame ${index} came back with ${plane.length} bytes, not ${entry.sizes[k]}.`);
        return plane;
      }),
    );
  }

  /** Deletes the folder and forgets every entry. Never throws; safe to call twice. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    this.entries.clear();
    const file = this.file;
    this.file = undefined;
    // The descriptor is closed once pending writes are done; the folder goes now (an open file on
    // Linux is unlinked like any other).
    void this.writing.then(() => file?.then((f) => f.close()).catch(() => undefined));
    try {
      rmSync(this.folder, { recursive: true, force: true });
    } catch {
      // A folder that cannot be removed (permissions) is left in the temporary folder; never an error.
    }
  }
}
