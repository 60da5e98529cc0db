/**
 * vidgan checkpoints: safetensors files whose tensors are named as in docs/CHECKPOINTS.md and whose
 * `__metadata__` records the format version, the model options, the step and the caller's notes.
 */
import * as path from 'path';
import { CheckpointError } from '../pipeline/errors';
import type { NativeTensor } from './binding';
import { describeArchitecture, type ModelOptions, validateModelOptions } from './model-options';
import {
  bfloat16ToFloat32,
  float16ToFloat32,
  float32ToBfloat16,
  float32ToFloat16,
  readSafetensors,
  readSafetensorsHeader,
  type SafetensorsEntry,
  type SafetensorsHeader,
  writeSafetensors,
} from './safetensors';
import { elementCount, stateShapes } from './state-shapes';

/** The checkpoint format this code writes and reads. */
export const CHECKPOINT_FORMAT = '1';

/** `full`: everything to resume training exactly; `generator`: the inference weights only. */
export type CheckpointKind = 'full' | 'generator';

/** What a checkpoint says about itself, read without loading its weights. */
export interface CheckpointInfo {
  path: string;
  format: string;
  kind: CheckpointKind;
  options: ModelOptions;
  /** Train steps taken when it was saved. */
  step: number;
  /** The model's random seed. */
  seed: number;
  /** `bf16`/`f16` when weights were stored in half precision, else `f32`. */
  weightDtype: 'f32' | 'f16' | 'bf16';
  /** Metadata the caller supplied when saving (how the model was made, data seed, ...). */
  metadata: Record<string, string>;
  tensorCount: number;
  fileBytes: number;
}

/** Everything a checkpoint holds, decoded to float32. */
export interface CheckpointContents {
  info: CheckpointInfo;
  tensors: NativeTensor[];
  /** State of the model's random generator (full checkpoints). */
  rngState?: Uint8Array;
}

/** Half-precision choices when saving weights. */
export type HalfPrecision = boolean | 'f16' | 'bf16';

const RNG_TENSOR = 'rng.state';
const KEY = {
  format: 'vidgan.format',
  kind: 'vidgan.kind',
  preset: 'vidgan.preset',
  options: 'vidgan.options',
  step: 'vidgan.step',
  seed: 'vidgan.seed',
  weightDtype: 'vidgan.weight_dtype',
} as const;

/**
 * Writes a checkpoint. Weights may be stored in half precision (`halfPrecision`); optimiser state
 * always stays float32, so a full checkpoint still resumes (from rounded weights).
 *
 * @throws {CheckpointError} a caller metadata key uses the reserved `vidgan.` prefix.
 */
export async function writeCheckpoint(
  file: string,
  contents: {
    kind: CheckpointKind;
    options: ModelOptions;
    step: number;
    seed: number;
    tensors: readonly NativeTensor[];
    rngState?: Uint8Array;
    metadata?: Record<string, string>;
    halfPrecision?: HalfPrecision;
  },
): Promise<void> {
  const half = contents.halfPrecision === true ? 'f16' : contents.halfPrecision || 'f32';
  for (const key of Object.keys(contents.metadata ?? {})) {
    if (key.startsWith('vidgan.')) throw new CheckpointError(`Metadata key ${key} is reserved; use a key without the vidgan. prefix.`);
  }
  const metadata: Record<string, string> = {
    ...(contents.metadata ?? {}),
    [KEY.format]: CHECKPOINT_FORMAT,
    [KEY.kind]: contents.kind,
    [KEY.preset]: contents.options.preset,
    [KEY.options]: JSON.stringify(contents.options),
    [KEY.step]: String(contents.step),
    [KEY.seed]: String(contents.seed),
    [KEY.weightDtype]: half,
  };
  const entries: SafetensorsEntry[] = contents.tensors.map((t) => {
    const isWeight = !t.name.startsWith('optim.');
    if (isWeight && half === 'f16') return { name: t.name, dtype: 'F16', shape: t.shape, bytes: bytesOf(float32ToFloat16(t.data)) };
    if (isWeight && half === 'bf16') return { name: t.name, dtype: 'BF16', shape: t.shape, bytes: bytesOf(float32ToBfloat16(t.data)) };
    return { name: t.name, dtype: 'F32', shape: t.shape, bytes: bytesOf(t.data) };
  });
  if (contents.rngState) entries.push({ name: RNG_TENSOR, dtype: 'U8', shape: [contents.rngState.length], bytes: contents.rngState });
  await writeSafetensors(file, entries, metadata);
}

/**
 * Reads what a checkpoint says about itself without loading its weights (for `vidgan info`).
 *
 * @example const info = await readCheckpointInfo('model.safetensors'); info.options.preset
 * @throws {CheckpointError} missing, truncated, foreign or non-vidgan files.
 */
export async function readCheckpointInfo(file: string): Promise<CheckpointInfo> {
  const header = await readSafetensorsHeader(file);
  return infoFrom(file, header.metadata, header.tensors.length, header.fileBytes);
}

/**
 * Reads a whole checkpoint, decoding every tensor to float32. Before any tensor data is read, the
 * tensors' names, shapes and total size are compared with those the architecture in its metadata
 * implies, so a file that names a huge architecture, or points many tensors at the same bytes, is
 * refused without allocating what it claims.
 *
 * @throws {CheckpointError} missing, truncated, foreign or non-vidgan files, or tensors that do not fit the architecture.
 */
export async function readCheckpoint(file: string): Promise<CheckpointContents> {
  const first = await readSafetensorsHeader(file);
  checkCheckpointTensors(file, infoFrom(file, first.metadata, first.tensors.length, first.fileBytes), first);
  const { header, bytes } = await readSafetensors(file);
  const info = infoFrom(file, header.metadata, header.tensors.length, header.fileBytes);
  checkCheckpointTensors(file, info, header);
  const tensors: NativeTensor[] = [];
  let rngState: Uint8Array | undefined;
  for (const t of header.tensors) {
    const raw = bytes.get(t.name) as Uint8Array;
    if (t.name === RNG_TENSOR) {
      rngState = raw;
      continue;
    }
    let data: Float32Array;
    if (t.dtype === 'F32') data = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    else if (t.dtype === 'F16') data = float16ToFloat32(new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2));
    else if (t.dtype === 'BF16') data = bfloat16ToFloat32(new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2));
    else throw new CheckpointError(`Checkpoint ${file}: tensor ${t.name} is ${t.dtype}; vidgan weights are F32, F16 or BF16.`);
    tensors.push({ name: t.name, shape: t.shape, data });
  }
  return { info, tensors, rngState };
}

/**
 * Compares a checkpoint's tensors with the state its architecture implies (src/gan/state-shapes.ts),
 * from the header alone: first the total size (weights may be stored in 16 bits, optimiser state in
 * 32), then every name and shape. A full checkpoint needs every tensor but an EMA the file may or may
 * not keep; a generator checkpoint needs the generator's.
 *
 * @throws {CheckpointError} naming the first difference.
 */
export function checkCheckpointTensors(file: string, info: CheckpointInfo, header: SafetensorsHeader): void {
  const name = path.basename(file);
  const architecture = describeArchitecture(info.options);
  const expected = new Map(stateShapes(info.options).map((t) => [t.name, t.shape]));
  const needed = [...expected.keys()].filter((n) => (info.kind === 'full' ? !n.startsWith('ema.') : n.startsWith('generator.')));
  const neededBytes = needed.reduce((sum, n) => sum + elementCount(expected.get(n)!) * (n.startsWith('optim.') ? 4 : 2), 0);
  const dataBytes = header.fileBytes - header.dataStart;
  if (dataBytes < neededBytes) {
    throw new CheckpointError(
      `Checkpoint ${name} names the ${architecture} architecture, whose ${info.kind} state needs at least ${megabytes(neededBytes)} ` +
        `of tensor data, but the file holds ${megabytes(dataBytes)}. It is damaged or was not written by vidgan; save it again from vidgan.`,
    );
  }
  const given = new Set<string>();
  for (const t of header.tensors) {
    if (t.name === RNG_TENSOR) continue;
    const shape = expected.get(t.name);
    if (shape === undefined) {
      if (t.name.startsWith('ema.') && info.kind === 'full') continue; // an EMA the loading model may not keep
      throw new CheckpointError(`Checkpoint ${name} holds tensor ${t.name}, which the ${architecture} model does not have.`);
    }
    if (shape.join('x') !== t.shape.join('x')) {
      throw new CheckpointError(`Checkpoint ${name}: tensor ${t.name} has shape [${t.shape}] but the ${architecture} model's is [${shape}].`);
    }
    given.add(t.name);
  }
  const missing = needed.filter((n) => !given.has(n));
  if (missing.length > 0) {
    throw new CheckpointError(
      `Checkpoint ${name} lacks ${missing.length} tensor(s) of a ${info.kind} checkpoint, e.g. ${missing.slice(0, 3).join(', ')}. ` +
        'It was written by another tool or edited; save it again from vidgan.',
    );
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
}

function infoFrom(file: string, metadata: Record<string, string>, tensorCount: number, fileBytes: number): CheckpointInfo {
  const name = path.basename(file);
  if (metadata[KEY.format] === undefined) {
    throw new CheckpointError(
      `${file} is a safetensors file but not a vidgan checkpoint (its metadata has no ${KEY.format}). ` +
        'Give a checkpoint saved by vidgan.',
    );
  }
  if (metadata[KEY.format] !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `Checkpoint ${name} has format ${metadata[KEY.format]}; this vidgan reads format ${CHECKPOINT_FORMAT}. Use a matching vidgan version.`,
    );
  }
  let options: ModelOptions;
  try {
    options = validateModelOptions(JSON.parse(metadata[KEY.options] ?? '') as ModelOptions);
  } catch (err) {
    throw new CheckpointError(`Checkpoint ${name} has unreadable model options (${(err as Error).message}).`, { cause: err });
  }
  const kind = metadata[KEY.kind] === 'generator' ? 'generator' : 'full';
  const caller = Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith('vidgan.')));
  return {
    path: file,
    format: metadata[KEY.format],
    kind,
    options,
    step: Number(metadata[KEY.step] ?? 0),
    seed: Number(metadata[KEY.seed] ?? 0),
    weightDtype: (metadata[KEY.weightDtype] as CheckpointInfo['weightDtype']) ?? 'f32',
    metadata: caller,
    tensorCount,
    fileBytes,
  };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
