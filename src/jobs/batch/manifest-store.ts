import { type BatchManifest, type ManifestEntry, writeManifest } from './manifest';

/**
 * The manifest of a running batch: held in memory, written atomically after every change, one write
 * at a time (jobs running side by side cannot interleave their writes). A failed write rejects only
 * its own save; the next save writes the manifest as it then stands, so one full disk moment does not
 * lose every later change.
 *
 * @example
 * const store = new ManifestStore('out/vidgan-batch.json', manifest);
 * await store.update(job.id, { state: 'running' });
 */
export class ManifestStore {
  private manifest: BatchManifest;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** Where the manifest is written. */
    readonly path: string,
    initial: BatchManifest,
  ) {
    this.manifest = initial;
  }

  /** The manifest as it stands. */
  get current(): BatchManifest {
    return this.manifest;
  }

  /**
   * Writes the manifest, after any write still in progress, as it stands when its turn comes.
   *
   * @throws {OutputError} when this write fails (later saves still run).
   */
  save(): Promise<void> {
    const write = this.writing.then(() => writeManifest(this.path, this.manifest));
    // The queue goes on past a failure: the error belongs to this save's caller alone.
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Changes one job's entry (found by id) and writes the manifest. */
  update(id: string, change: Partial<Omit<ManifestEntry, 'id'>>): Promise<void> {
    this.manifest = {
      ...this.manifest,
      updatedAt: new Date().toISOString(),
      jobs: this.manifest.jobs.map((entry) => (entry.id === id ? { ...entry, ...change } : entry)),
    };
    return this.save();
  }
}
