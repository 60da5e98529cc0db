import { type BatchManifest, type ManifestEntry, writeManifest } from './manifest';

/**
 * The manifest of a running batch: held in memory, written atomically after every change, one write
 * at a time (jobs running side by side cannot interleave their writes).
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

  /** Writes the manifest as it stands. */
  save(): Promise<void> {
    const snapshot = this.manifest;
    this.writing = this.writing.then(() => writeManifest(this.path, snapshot));
    return this.writing;
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
