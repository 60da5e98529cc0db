/**
 * Cuts a raw video byte stream (arbitrary pipe chunks) into buffers of exactly one frame each.
 *
 * @example
 * const splitter = new FrameSplitter(400 * 400 * 3);
 * stdout.on('data', (chunk) => splitter.push(chunk).forEach(emit));
 */
export class FrameSplitter {
  private current: Buffer;
  private filled = 0;

  /** @param frameBytes the size of one frame, `width * height * 3` for RGB24. */
  constructor(readonly frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) {
      throw new RangeError(`Expected a positive integer frame size but received ${frameBytes}`);
    }
    this.current = Buffer.allocUnsafe(frameBytes);
  }

  /** Adds a chunk and returns the frames it completed (each a fresh buffer, never reused). */
  push(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        frames.push(this.current);
        this.current = Buffer.allocUnsafe(this.frameBytes);
        this.filled = 0;
      }
    }
    return frames;
  }

  /** Bytes of an incomplete frame still held (non-zero at the end of a stream means a cut-off frame). */
  get pendingBytes(): number {
    return this.filled;
  }
}
