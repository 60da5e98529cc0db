/**
 * A small reader of TensorFlow Lite model files (FlatBuffers, schema `tflite`, identifier `TFL3`):
 * the tensors with their constant data, the operators in execution order and the builtin options
 * that vidgan's graph executor uses. Field numbers follow TensorFlow Lite's schema.fbs.
 */
import { BadInputError } from '../pipeline/errors';
import { FlatBufferRangeError, FlatTable } from './flat-table';

/** Element types of TensorFlow Lite tensors (schema enum `TensorType`, in order). */
const TENSOR_TYPES = ['float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8', 'float64'] as const;

/** A TensorFlow Lite element type. */
export type TfliteTensorType = (typeof TENSOR_TYPES)[number];

/** Builtin operator names by code (schema enum `BuiltinOperator`), for the codes vidgan may meet. */
const BUILTIN_NAMES: Readonly<Record<number, string>> = {
  0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED', 14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 21: 'RELU6', 22: 'RESHAPE',
  23: 'RESIZE_BILINEAR', 25: 'SOFTMAX', 28: 'TANH', 32: 'CUSTOM', 34: 'PAD', 40: 'MEAN', 41: 'SUB', 42: 'DIV',
  67: 'TRANSPOSE_CONV', 97: 'RESIZE_NEAREST_NEIGHBOR', 98: 'LEAKY_RELU', 117: 'HARD_SWISH',
};

/** Fused activations (schema enum `ActivationFunctionType`). */
const ACTIVATIONS = ['none', 'relu', 'relu_n1_to_1', 'relu6', 'tanh', 'sign_bit'] as const;

/** A fused activation applied to an operator's output. */
export type TfliteActivation = (typeof ACTIVATIONS)[number];

/** One tensor of the main subgraph. */
export interface TfliteTensor {
  readonly index: number;
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: TfliteTensorType;
  /** The constant data (little-endian, row-major), a view into the file; undefined for activations. */
  readonly data?: Uint8Array;
}

/** The builtin options vidgan reads; which ones are present depends on the operator. */
export interface TfliteOptions {
  padding?: 'same' | 'valid';
  strideW?: number;
  strideH?: number;
  dilationW?: number;
  dilationH?: number;
  depthMultiplier?: number;
  filterW?: number;
  filterH?: number;
  activation?: TfliteActivation;
  alignCorners?: boolean;
  halfPixelCenters?: boolean;
  keepDims?: boolean;
  axis?: number;
  newShape?: readonly number[];
}

/** One operator, in execution order. */
export interface TfliteOperator {
  readonly index: number;
  /** The builtin name (`CONV_2D`) or, for a custom operator, its custom code (`Convolution2DTransposeBias`). */
  readonly opcode: string;
  readonly custom: boolean;
  /** Tensor indices; -1 marks an optional input left out. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options: TfliteOptions;
  /** A custom operator's raw options. */
  readonly customOptions?: Uint8Array;
}

/** The main subgraph of a TensorFlow Lite model. */
export interface TfliteModel {
  readonly version: number;
  readonly tensors: readonly TfliteTensor[];
  readonly operators: readonly TfliteOperator[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/**
 * Parses a TensorFlow Lite file. Constant data stays a view into `bytes` (no copy).
 *
 * @example const model = readTflite(await fs.promises.readFile('selfie_segmentation.tflite'), 'selfie_segmentation.tflite');
 * @throws {BadInputError} when the bytes are not a TensorFlow Lite model (wrong identifier, offsets outside
 * the file, an unknown tensor type, a tensor or operator index out of range).
 */
export function readTflite(bytes: Uint8Array, source: string): TfliteModel {
  const fail = (reason: string, cause?: unknown): BadInputError =>
    new BadInputError(`${source} is not a TensorFlow Lite model vidgan can read: ${reason}.`, { cause, path: source });
  const identifier = FlatTable.identifier(bytes);
  if (identifier !== 'TFL3') throw fail(`its file identifier is ${JSON.stringify(identifier)}, not "TFL3"`);
  try {
    return parseModel(bytes, (reason) => fail(reason));
  } catch (err) {
    if (err instanceof FlatBufferRangeError) throw fail(err.message, err);
    throw err;
  }
}

function parseModel(bytes: Uint8Array, fail: (reason: string) => Error): TfliteModel {
  const model = FlatTable.root(bytes);
  const version = model.uint32(0);
  if (version !== 3) throw fail(`schema version ${version}, expected 3`);
  const codes = model.tables(1).map((code) => {
    // builtin_code (field 3, int32) replaced deprecated_builtin_code (field 0, int8) past code 127.
    const builtin = Math.max(code.int8(0), code.int32(3));
    return builtin === 32 ? { custom: true, name: code.string(1) ?? '' } : { custom: false, name: BUILTIN_NAMES[builtin] ?? `BUILTIN_${builtin}` };
  });
  const buffers = model.tables(4).map((buffer) => {
    if (buffer.has(1)) {
      // Models over 2 GB keep data past the FlatBuffer at (offset, size); not expected here.
      const offset = buffer.uint64(1);
      const size = buffer.uint64(2);
      if (offset <= 1 || offset + size > bytes.byteLength) throw fail(`a buffer's data (${size} bytes at ${offset}) lies outside the file`);
      return bytes.subarray(offset, offset + size);
    }
    return buffer.vectorBytes(0);
  });
  const subgraphs = model.tables(2);
  if (subgraphs.length === 0) throw fail('it has no subgraph');
  const graph = subgraphs[0]!;

  const tensors = graph.tables(0).map((tensor, index): TfliteTensor => {
    const typeCode = tensor.int8(1);
    const type = TENSOR_TYPES[typeCode];
    if (type === undefined) throw fail(`tensor ${index} has unknown type ${typeCode}`);
    const shape = tensor.int32s(0);
    if (shape.some((d) => d < 0)) throw fail(`tensor ${index} has a dynamic shape [${shape.join(', ')}]`);
    const bufferIndex = tensor.uint32(2);
    if (bufferIndex >= buffers.length) throw fail(`tensor ${index} refers to buffer ${bufferIndex} of ${buffers.length}`);
    const raw = buffers[bufferIndex];
    const data = raw !== undefined && raw.byteLength > 0 ? raw : undefined;
    const name = tensor.string(3) ?? `tensor${index}`;
    if (data !== undefined) {
      const expected = shape.reduce((a, b) => a * b, 1) * elementBytes(type);
      if (data.byteLength !== expected) throw fail(`tensor ${index} (${name}) holds ${data.byteLength} bytes, its shape [${shape.join(', ')}] needs ${expected}`);
    }
    return { index, name, shape, type, data };
  });
  const checkIndices = (list: number[], what: string): number[] => {
    for (const t of list) if (t < -1 || t >= tensors.length) throw fail(`${what} refers to tensor ${t} of ${tensors.length}`);
    return list;
  };

  const operators = graph.tables(3).map((op, index): TfliteOperator => {
    const codeIndex = op.uint32(0);
    const code = codes[codeIndex];
    if (code === undefined) throw fail(`operator ${index} refers to operator code ${codeIndex} of ${codes.length}`);
    const options = readOptions(op.uint8(3), op.table(4));
    const customOptions = op.vectorBytes(5);
    return {
      index,
      opcode: code.name,
      custom: code.custom,
      inputs: checkIndices(op.int32s(1), `operator ${index}`),
      outputs: checkIndices(op.int32s(2), `operator ${index}`),
      options,
      ...(customOptions === undefined ? {} : { customOptions }),
    };
  });
  return {
    version,
    tensors,
    operators,
    inputs: checkIndices(graph.int32s(1), 'the subgraph inputs'),
    outputs: checkIndices(graph.int32s(2), 'the subgraph outputs'),
  };
}

/** Bytes per element of a type with a fixed size (string counts 1: its data is checked as bytes). */
export function elementBytes(type: TfliteTensorType): number {
  switch (type) {
    case 'float64':
    case 'int64':
    case 'complex64':
      return 8;
    case 'float32':
    case 'int32':
      return 4;
    case 'float16':
    case 'int16':
      return 2;
    default:
      return 1;
  }
}

function activation(table: FlatTable, field: number): TfliteActivation {
  const code = table.int8(field);
  const name = ACTIVATIONS[code];
  if (name === undefined) throw new FlatBufferRangeError(`unknown fused activation ${code}`);
  return name;
}

function padding(table: FlatTable): 'same' | 'valid' {
  return table.int8(0) === 0 ? 'same' : 'valid';
}

/** Reads the `BuiltinOptions` union member by its type code (1-based position in the union). */
function readOptions(type: number, table: FlatTable | undefined): TfliteOptions {
  if (table === undefined) return {};
  switch (type) {
    case 1: // Conv2DOptions
      return {
        padding: padding(table), strideW: table.int32(1), strideH: table.int32(2), activation: activation(table, 3),
        dilationW: table.int32(4, 1), dilationH: table.int32(5, 1),
      };
    case 2: // DepthwiseConv2DOptions
      return {
        padding: padding(table), strideW: table.int32(1), strideH: table.int32(2), depthMultiplier: table.int32(3),
        activation: activation(table, 4), dilationW: table.int32(5, 1), dilationH: table.int32(6, 1),
      };
    case 5: // Pool2DOptions
      return {
        padding: padding(table), strideW: table.int32(1), strideH: table.int32(2), filterW: table.int32(3),
        filterH: table.int32(4), activation: activation(table, 5),
      };
    case 10: // ConcatenationOptions
      return { axis: table.int32(0), activation: activation(table, 1) };
    case 11: // AddOptions
    case 21: // MulOptions
    case 28: // SubOptions
    case 29: // DivOptions
      return { activation: activation(table, 0) };
    case 15: // ResizeBilinearOptions (fields 0 and 1 are deprecated)
      return { alignCorners: table.bool(2), halfPixelCenters: table.bool(3) };
    case 17: // ReshapeOptions
      return { newShape: table.int32s(0) };
    case 27: // ReducerOptions
      return { keepDims: table.bool(0) };
    case 49: // TransposeConvOptions
      return { padding: padding(table), strideW: table.int32(1), strideH: table.int32(2) };
    default:
      return {};
  }
}
