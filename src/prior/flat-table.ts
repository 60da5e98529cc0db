/**
 * A bounds-checked view of one FlatBuffers table (https://flatbuffers.dev/internals/): just what
 * reading a TensorFlow Lite file needs. Every offset is checked against the file before it is read,
 * so a truncated or foreign file fails with {@link FlatBufferRangeError} instead of reading garbage.
 */

/** An offset or length in a FlatBuffers file points outside the file. */
export class FlatBufferRangeError extends Error {}

/** A FlatBuffers table at a known position of a byte array. */
export class FlatTable {
  private readonly view: DataView;
  private readonly vtable: number;
  private readonly vtableSize: number;

  /** Opens the table whose first byte is at `position`. */
  constructor(
    private readonly bytes: Uint8Array,
    readonly position: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.vtable = position - this.i32(position);
    this.vtableSize = this.u16(this.vtable);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) throw new FlatBufferRangeError(`table at ${position}: bad vtable size ${this.vtableSize}`);
    this.check(this.vtable, this.vtableSize);
  }

  /** Opens the root table of a FlatBuffers file. */
  static root(bytes: Uint8Array): FlatTable {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 8) throw new FlatBufferRangeError(`file of ${bytes.byteLength} bytes is too short`);
    return new FlatTable(bytes, view.getUint32(0, true));
  }

  /** The 4-byte file identifier after the root offset (`TFL3` for TensorFlow Lite). */
  static identifier(bytes: Uint8Array): string {
    return bytes.byteLength < 8 ? '' : String.fromCharCode(...bytes.subarray(4, 8));
  }

  has(field: number): boolean {
    return this.fieldOffset(field) !== 0;
  }

  int8(field: number, fallback = 0): number {
    const at = this.fieldPosition(field, 1);
    return at === undefined ? fallback : this.view.getInt8(at);
  }

  uint8(field: number, fallback = 0): number {
    const at = this.fieldPosition(field, 1);
    return at === undefined ? fallback : this.view.getUint8(at);
  }

  bool(field: number, fallback = false): boolean {
    const at = this.fieldPosition(field, 1);
    return at === undefined ? fallback : this.view.getUint8(at) !== 0;
  }

  int32(field: number, fallback = 0): number {
    const at = this.fieldPosition(field, 4);
    return at === undefined ? fallback : this.view.getInt32(at, true);
  }

  uint32(field: number, fallback = 0): number {
    const at = this.fieldPosition(field, 4);
    return at === undefined ? fallback : this.view.getUint32(at, true);
  }

  /** A 64-bit unsigned field as a number; throws past 2^53. */
  uint64(field: number, fallback = 0): number {
    const at = this.fieldPosition(field, 8);
    if (at === undefined) return fallback;
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new FlatBufferRangeError(`field ${field} at ${at}: ${value} is too large`);
    return Number(value);
  }

  string(field: number): string | undefined {
    const bytes = this.vectorBytes(field, 1);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }

  table(field: number): FlatTable | undefined {
    const at = this.indirect(field);
    return at === undefined ? undefined : new FlatTable(this.bytes, at);
  }

  /** A vector of tables; empty when absent. */
  tables(field: number): FlatTable[] {
    const vector = this.vector(field, 4);
    if (vector === undefined) return [];
    const out: FlatTable[] = [];
    for (let i = 0; i < vector.length; i++) {
      const element = vector.start + 4 * i;
      out.push(new FlatTable(this.bytes, element + this.view.getUint32(element, true)));
    }
    return out;
  }

  /** A vector of int32; empty when absent. */
  int32s(field: number): number[] {
    const vector = this.vector(field, 4);
    if (vector === undefined) return [];
    return Array.from({ length: vector.length }, (_, i) => this.view.getInt32(vector.start + 4 * i, true));
  }

  /** A vector of bytes as a view into the file (not a copy); undefined when absent. */
  vectorBytes(field: number, elementSize = 1): Uint8Array | undefined {
    const vector = this.vector(field, elementSize);
    return vector === undefined ? undefined : this.bytes.subarray(vector.start, vector.start + vector.length * elementSize);
  }

  private vector(field: number, elementSize: number): { start: number; length: number } | undefined {
    const at = this.indirect(field);
    if (at === undefined) return undefined;
    this.check(at, 4);
    const length = this.view.getUint32(at, true);
    this.check(at + 4, length * elementSize);
    return { start: at + 4, length };
  }

  private indirect(field: number): number | undefined {
    const at = this.fieldPosition(field, 4);
    return at === undefined ? undefined : at + this.view.getUint32(at, true);
  }

  private fieldOffset(field: number): number {
    const entry = 4 + 2 * field;
    return entry + 2 > this.vtableSize ? 0 : this.u16(this.vtable + entry);
  }

  private fieldPosition(field: number, size: number): number | undefined {
    const offset = this.fieldOffset(field);
    if (offset === 0) return undefined;
    this.check(this.position + offset, size);
    return this.position + offset;
  }

  private u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }

  private i32(at: number): number {
    this.check(at, 4);
    return this.view.getInt32(at, true);
  }

  private check(at: number, size: number): void {
    if (!Number.isInteger(at) || at < 0 || size < 0 || at + size > this.bytes.byteLength) {
      throw new FlatBufferRangeError(`${size} bytes at offset ${at} lie outside the file of ${this.bytes.byteLength} bytes`);
    }
  }
}
