/**
 * Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header `{name: {dtype, shape, data_offsets}, "__metadata__":
 * {string: string}}`, then raw little-endian tensor data. No pickle, readable from Python.
 */
import { promises as fs } from 'fs';
import { writeFileAtomic } from '../io/write-file-atomic';
import { CheckpointError } from '../pipeline/errors';

/** The dtypes vidgan stores. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'U8';

/** One tensor to write: its bytes are already in `dtype`'s little-endian layout. */
export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  bytes: Uint8Array;
}

/** A tensor's header record. */
export interface SafetensorsHeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Offsets into the data section: [begin, end). */
  dataOffsets: [number, number];
}

/** The parsed header of a safetensors file. */
export interface SafetensorsHeader {
  metadata: Record<string, string>;
  tensors: SafetensorsHeaderEntry[];
  /** Byte offset of the data section in the file. */
  dataStart: number;
  fileBytes: number;
}

const BYTES_PER: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, U8: 1 };
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Writes a safetensors file atomically (`writeFileAtomic`: a unique hidden temporary file, flushed
 * and renamed into place; removed when the write fails).
 *
 * @example await writeSafetensors('m.safetensors', [{ name: 'w', dtype: 'F32', shape: [2], bytes }], { note: 'x' })
 * @throws {CheckpointError} when a tensor's bytes do not match its shape.
 * @throws {OutputError} when the file cannot be written (disk full, no permission, folder missing).
 */
export async function writeSafetensors(
  path: string,
  entries: readonly SafetensorsEntry[],
  metadata: Record<string, string>,
): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const entry of entries) {
    const expected = entry.shape.reduce((a, b) => a * b, 1) * BYTES_PER[entry.dtype];
    if (expected !== entry.bytes.byteLength) {
      throw new CheckpointError(`Tensor ${entry.name}: ${entry.bytes.byteLength} bytes for shape [${entry.shape}] ${entry.dtype}`);
    }
    header[entry.name] = { dtype: entry.dtype, shape: entry.shape, data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const lengthBytes = Buffer.alloc(8);
  lengthBytes.writeBigUInt64LE(BigInt(headerBytes.byteLength));

  // Atomic: a unique hidden temporary name, fsync, rename; removed if anything fails (disk full).
  await writeFileAtomic(path, async (temporary) => {
    const handle = await fs.open(temporary, 'wx');
    try {
      // writeFile, not write: it repeats short writes until every byte is written or an error says why.
      await handle.writeFile(lengthBytes);
      await handle.writeFile(headerBytes);
      for (const entry of entries) await handle.writeFile(entry.bytes);
    } finally {
      await handle.close();
    }
  });
}

/**
 * Reads and checks the header of a safetensors file, without its tensor data.
 *
 * @throws {CheckpointError} missing, truncated or foreign (not safetensors) files, with what to do.
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be opened (${code ?? String(err)})`;
    throw new CheckpointError(`Checkpoint ${path} ${what}. Check the path, or train a model and save it first.`, { cause: err });
  }
  try {
    const fileBytes = (await handle.stat()).size;
    if (fileBytes < 8) throw foreign(path, `it is only ${fileBytes} bytes long`);
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE());
    if (headerLength > MAX_HEADER_BYTES) throw foreign(path, `its first 8 bytes announce a ${headerLength}-byte header`);
    if (8 + headerLength > fileBytes) throw truncated(path, 8 + headerLength, fileBytes);
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      throw foreign(path, 'its header is not JSON');
    }
    const header = parseHeader(path, parsed, 8 + headerLength, fileBytes);
    checkLayout(path, header);
    return header;
  } finally {
    await handle.close();
  }
}

/**
 * Reads a whole safetensors file: its header and every tensor's raw bytes.
 *
 * @throws {CheckpointError} as readSafetensorsHeader.
 */
export async function readSafetensors(path: string): Promise<{ header: SafetensorsHeader; bytes: Map<string, Uint8Array> }> {
  const header = await readSafetensorsHeader(path);
  const file = await fs.readFile(path);
  const bytes = new Map<string, Uint8Array>();
  for (const t of header.tensors) {
    const begin = header.dataStart + t.dataOffsets[0];
    // Copy: the views below must be aligned for Float32Array/Uint16Array.
    bytes.set(t.name, new Uint8Array(file.subarray(begin, header.dataStart + t.dataOffsets[1])));
  }
  return { header, bytes };
}

function parseHeader(path: string, parsed: unknown, dataStart: number, fileBytes: number): SafetensorsHeader {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw foreign(path, 'its header is not a JSON object');
  const metadata: Record<string, string> = {};
  const tensors: SafetensorsHeaderEntry[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      for (const [key, text] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (typeof text === 'string') metadata[key] = text;
      }
      continue;
    }
    const record = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = record?.dtype;
    const shape = record?.shape;
    const offsets = record?.data_offsets;
    if (typeof dtype !== 'string' || !Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) {
      throw foreign(path, `its header entry ${name} lacks dtype, shape or data_offsets`);
    }
    if (!Object.prototype.hasOwnProperty.call(BYTES_PER, dtype)) {
      throw new CheckpointError(`Checkpoint ${path}: tensor ${name} has dtype ${dtype}; vidgan reads F32, F16, BF16 and U8.`);
    }
    if (!shape.every(isCount) || !offsets.every(isCount)) {
      throw foreign(path, `tensor ${name} has a shape or data_offsets that are not non-negative integers`);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const [begin, end] = offsets as [number, number];
    if (!Number.isSafeInteger(count * BYTES_PER[dtype as SafetensorsDtype]) || end - begin !== count * BYTES_PER[dtype as SafetensorsDtype]) {
      throw foreign(path, `tensor ${name} spans ${end - begin} bytes but shape [${shape}] ${dtype} needs ${count * BYTES_PER[dtype as SafetensorsDtype]}`);
    }
    tensors.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], dataOffsets: [begin, end] });
  }
  return { metadata, tensors, dataStart, fileBytes };
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The layout the safetensors format requires: sorted by offset, the tensors follow one another
 * without gaps or overlap from 0 and cover the data section exactly. Checked before any data is read,
 * so a header that points many tensors at the same bytes cannot multiply what loading allocates.
 */
function checkLayout(path: string, header: SafetensorsHeader): void {
  const sorted = [...header.tensors].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let expected = 0;
  for (const t of sorted) {
    const [begin, end] = t.dataOffsets;
    if (begin < expected) {
      throw foreign(path, `tensor ${t.name} (bytes ${begin}-${end}) overlaps the tensor before it, which ends at ${expected}`);
    }
    if (begin > expected) throw foreign(path, `its data has a gap: tensor ${t.name} begins at byte ${begin}, not ${expected}`);
    expected = end;
  }
  const dataBytes = header.fileBytes - header.dataStart;
  if (expected > dataBytes) throw truncated(path, header.dataStart + expected, header.fileBytes);
  if (expected < dataBytes) {
    throw foreign(path, `its tensors cover ${expected} bytes of data but the file holds ${dataBytes} after the header`);
  }
}

function foreign(path: string, why: string): CheckpointError {
  return new CheckpointError(
    `${path} is not a safetensors checkpoint (${why}). Give the path of a .safetensors file saved by vidgan.`,
  );
}

function truncated(path: string, needed: number, has: number): CheckpointError {
  return new CheckpointError(
    `Checkpoint ${path} is truncated: it needs ${needed} bytes but holds ${has}. ` +
      'The save was probably interrupted or the copy is incomplete; save or copy it again.',
  );
}

/** float32 values to IEEE half-precision bit patterns, rounded to nearest even. */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mantissa |= 0x800000;
      const shift = 14 - e;
      let half = mantissa >>> shift;
      const rest = mantissa & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      if (rest > halfway || (rest === halfway && (half & 1))) half++;
      out[i] = sign | half;
    } else {
      let half = (e << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
      out[i] = sign | half;
    }
  }
  return out;
}

/** IEEE half-precision bit patterns to float32. */
export function float16ToFloat32(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/** float32 values to bfloat16 bit patterns (the upper 16 bits), rounded to nearest even. */
export function float32ToBfloat16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i];
    if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) {
      out[i] = (x >>> 16) | 0x40;
      continue;
    }
    out[i] = ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
  }
  return out;
}

/** bfloat16 bit patterns to float32. */
export function bfloat16ToFloat32(halves: Uint16Array): Float32Array {
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
  return new Float32Array(bits.buffer);
}
