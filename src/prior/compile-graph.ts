/**
 * Translates a TensorFlow Lite image-to-mask model into the native engine's graph: NHWC activations
 * become NCHW, weights move from TFLite's layouts (conv OHWI, depthwise 1HWC, transposed conv OHWI) to
 * torch's (OIHW, C1HW, IOHW), float16 constants are dequantized, and TFLite's SAME padding becomes
 * explicit (possibly asymmetric) padding. Only the operators vidgan's executor implements are accepted.
 */
import type { NativeGraphOp, NativeGraphSpec } from '../gan/binding';
import { BadInputError } from '../pipeline/errors';
import { halfToFloat } from './half-to-float';
import type { TfliteModel, TfliteOperator, TfliteTensor } from './read-tflite';

interface FloatConstant {
  shape: number[];
  data: Float32Array;
}

/** The custom op MediaPipe's segmentation models end with: a transposed convolution plus bias. */
const TRANSPOSE_CONV_BIAS = 'Convolution2DTransposeBias';

/**
 * Builds the native graph spec of a model with one NHWC RGB float input and one single-channel output.
 *
 * @example const spec = compileGraph(readTflite(bytes, file), file); new (loadBinding().TfliteGraph)(spec);
 * @throws {BadInputError} when the model uses an operator, option or layout the executor does not
 * implement, or its shapes disagree with its options.
 */
export function compileGraph(model: TfliteModel, source: string): NativeGraphSpec {
  const fail = (reason: string): BadInputError =>
    new BadInputError(`${source} cannot run in vidgan's graph executor: ${reason}.`, { path: source });
  const tensor = (index: number, op?: TfliteOperator): TfliteTensor => {
    const t = model.tensors[index];
    if (t === undefined) throw fail(`${op ? describeOp(op) : 'the graph'} refers to a missing tensor ${index}`);
    return t;
  };

  const floats = new Map<number, FloatConstant>();
  for (const t of model.tensors) if (t.data && t.type === 'float32') floats.set(t.index, { shape: [...t.shape], data: float32s(t.data) });

  let tensorCount = model.tensors.length;
  const constants: NativeGraphSpec['constants'] = [];
  /** Adds a converted weight under a fresh tensor index. */
  const addConstant = (shape: number[], data: Float32Array): number => {
    constants.push({ index: tensorCount, shape, data });
    return tensorCount++;
  };
  const floatConstant = (index: number, op: TfliteOperator, what: string): FloatConstant => {
    const c = floats.get(index);
    if (c === undefined) throw fail(`${describeOp(op)}: its ${what} (tensor ${index}) is not a constant`);
    return c;
  };
  const activation = (index: number, op: TfliteOperator): TfliteTensor => {
    const t = tensor(index, op);
    if (t.data !== undefined || floats.has(index)) throw fail(`${describeOp(op)}: constant input ${index} where an activation was expected`);
    if (t.type !== 'float32' || t.shape.length !== 4) throw fail(`${describeOp(op)}: tensor ${index} is ${t.type} [${t.shape.join(', ')}], expected float32 NHWC`);
    return t;
  };
  const int32Constant = (index: number, op: TfliteOperator): number[] => {
    const t = tensor(index, op);
    if (t.type !== 'int32' || t.data === undefined) throw fail(`${describeOp(op)}: tensor ${index} is not an int32 constant`);
    const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    return Array.from({ length: t.data.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true));
  };

  const ops: NativeGraphOp[] = [];
  for (const op of model.operators) {
    const out = op.outputs[0] ?? -1;
    if (op.outputs.length !== 1) throw fail(`${describeOp(op)} has ${op.outputs.length} outputs, expected 1`);
    const outShape = tensor(out, op).shape;
    const options = op.options;
    switch (op.opcode) {
      case 'DEQUANTIZE': {
        const input = tensor(op.inputs[0] ?? -1, op);
        if (input.type !== 'float16' || input.data === undefined) throw fail(`${describeOp(op)}: only constant float16 tensors are dequantized`);
        floats.set(out, { shape: [...input.shape], data: halfToFloat(input.data) });
        break;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const depthwise = op.opcode === 'DEPTHWISE_CONV_2D';
        const x = activation(op.inputs[0]!, op);
        const w = floatConstant(op.inputs[1]!, op, 'weights');
        const [o, kh, kw, i] = w.shape as [number, number, number, number];
        if (w.shape.length !== 4) throw fail(`${describeOp(op)}: weights of rank ${w.shape.length}`);
        const inC = x.shape[3]!;
        const outC = depthwise ? i : o;
        if (outShape[3] !== outC) throw fail(`${describeOp(op)}: weights give ${outC} channels, the output has ${outShape[3]}`);
        if (depthwise ? o !== 1 || i % inC !== 0 : inC % i !== 0) throw fail(`${describeOp(op)}: weights [${w.shape.join(', ')}] do not fit ${inC} input channels`);
        const inputs = [x.index, addConstant(depthwise ? [i, 1, kh, kw] : [o, i, kh, kw], permute(w, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]))];
        if ((op.inputs[2] ?? -1) >= 0) inputs.push(biasConstant(floatConstant(op.inputs[2]!, op, 'bias'), outC, op));
        const stride: [number, number] = [options.strideH ?? 1, options.strideW ?? 1];
        const dilation: [number, number] = [options.dilationH ?? 1, options.dilationW ?? 1];
        ops.push({
          kind: 'conv2d',
          inputs,
          output: out,
          stride,
          dilation,
          pad: convPadding(x.shape, outShape, [kh, kw], stride, dilation, options.padding, (r) => fail(`${describeOp(op)}: ${r}`)),
          groups: depthwise ? inC : inC / i,
          activation: fusedActivation(op, fail),
        });
        break;
      }
      case 'AVERAGE_POOL_2D':
      case 'MEAN': {
        const x = activation(op.inputs[0]!, op);
        const [, h, w] = x.shape as [number, number, number, number];
        const global =
          op.opcode === 'MEAN'
            ? options.keepDims === true && sameSet(int32Constant(op.inputs[1]!, op), [1, 2])
            : options.filterH === h && options.filterW === w && outShape[1] === 1 && outShape[2] === 1;
        if (global) {
          ops.push({ kind: 'globalAvgPool', inputs: [x.index], output: out, activation: fusedActivation(op, fail) });
          break;
        }
        if (op.opcode === 'MEAN') throw fail(`${describeOp(op)}: only a mean over height and width that keeps dimensions is supported`);
        const kernel: [number, number] = [options.filterH ?? 1, options.filterW ?? 1];
        const stride: [number, number] = [options.strideH ?? 1, options.strideW ?? 1];
        const pad = convPadding(x.shape, outShape, kernel, stride, [1, 1], options.padding, (r) => fail(`${describeOp(op)}: ${r}`));
        if (pad[0] !== pad[1] || pad[2] !== pad[3]) throw fail(`${describeOp(op)}: asymmetric padding of an average pool is not supported`);
        ops.push({ kind: 'avgPool2d', inputs: [x.index], output: out, kernel, stride, pad, activation: fusedActivation(op, fail) });
        break;
      }
      case 'ADD':
      case 'MUL': {
        const [a, b] = [activation(op.inputs[0]!, op), activation(op.inputs[1]!, op)];
        if (!a.shape.every((d, k) => d === b.shape[k] || d === 1 || b.shape[k] === 1)) {
          throw fail(`${describeOp(op)}: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
        }
        ops.push({ kind: op.opcode === 'ADD' ? 'add' : 'mul', inputs: [a.index, b.index], output: out, activation: fusedActivation(op, fail) });
        break;
      }
      case 'HARD_SWISH':
      case 'RELU':
      case 'RELU6':
      case 'LOGISTIC': {
        const kinds = { HARD_SWISH: 'hardSwish', RELU: 'relu', RELU6: 'relu6', LOGISTIC: 'sigmoid' } as const;
        ops.push({ kind: kinds[op.opcode], inputs: [activation(op.inputs[0]!, op).index], output: out });
        break;
      }
      case 'RESIZE_BILINEAR': {
        const x = activation(op.inputs[0]!, op);
        const size = int32Constant(op.inputs[1]!, op);
        if (size.length !== 2 || size[0] !== outShape[1] || size[1] !== outShape[2]) throw fail(`${describeOp(op)}: size [${size.join(', ')}] disagrees with its output`);
        // torch's align_corners=false samples at half-pixel centres; TFLite's legacy mode (neither flag) does not.
        if (!options.alignCorners && !options.halfPixelCenters) throw fail(`${describeOp(op)}: resizing without align_corners or half_pixel_centers is not supported`);
        ops.push({ kind: 'resizeBilinear', inputs: [x.index], output: out, size: [size[0]!, size[1]!], alignCorners: options.alignCorners === true });
        break;
      }
      case TRANSPOSE_CONV_BIAS: {
        const x = activation(op.inputs[0]!, op);
        const w = floatConstant(op.inputs[1]!, op, 'weights');
        const [o, kh, kw, i] = w.shape as [number, number, number, number];
        if (w.shape.length !== 4 || i !== x.shape[3] || o !== outShape[3]) throw fail(`${describeOp(op)}: weights [${w.shape.join(', ')}] do not fit its input and output`);
        const custom = transposeOptions(op, fail);
        const crop = [0, 1].map((axis) => {
          const [inSize, outSize, k, s] = [x.shape[1 + axis]!, outShape[1 + axis]!, axis === 0 ? kh : kw, axis === 0 ? custom.strideH : custom.strideW];
          const full = (inSize - 1) * s + k;
          const expected = custom.padding === 'same' ? inSize * s : full;
          if (outSize !== expected || full < outSize) throw fail(`${describeOp(op)}: output size ${outSize} does not follow from input ${inSize}, kernel ${k}, stride ${s}`);
          return Math.floor((full - outSize) / 2);
        }) as [number, number];
        ops.push({
          kind: 'convTranspose2d',
          inputs: [x.index, addConstant([i, o, kh, kw], permute(w, [3, 0, 1, 2])), biasConstant(floatConstant(op.inputs[2]!, op, 'bias'), o, op)],
          output: out,
          stride: [custom.strideH, custom.strideW],
          pad: [crop[0], 0, crop[1], 0],
          size: [outShape[1]!, outShape[2]!],
        });
        break;
      }
      default:
        throw fail(`${describeOp(op)} is not an operator it implements`);
    }
  }

  const input = tensor(model.inputs[0] ?? -1);
  const output = tensor(model.outputs[0] ?? -1);
  if (model.inputs.length !== 1 || input.type !== 'float32' || input.shape.length !== 4 || input.shape[3] !== 3) {
    throw fail(`its input must be one float32 NHWC RGB image, not [${input.shape.join(', ')}] ${input.type}`);
  }
  if (model.outputs.length !== 1 || output.shape.length !== 4 || output.shape[3] !== 1) {
    throw fail(`its output must be one single-channel map, not [${output.shape.join(', ')}]`);
  }
  return {
    ops: fuseActivations(ops, output.index),
    constants,
    tensorCount,
    input: input.index,
    output: output.index,
    inputHeight: input.shape[1]!,
    inputWidth: input.shape[2]!,
  };

  function biasConstant(bias: FloatConstant, channels: number, op: TfliteOperator): number {
    if (bias.data.length !== channels) throw fail(`${describeOp(op)}: bias of ${bias.data.length} values for ${channels} channels`);
    return addConstant([channels], bias.data);
  }
}

/**
 * Folds a RELU, RELU6 or HARD_SWISH into the operator before it when that operator has no activation of
 * its own and the activation is the only reader of its output: one pass over the data instead of two,
 * and no tensor allocated for the intermediate.
 */
export function fuseActivations(ops: readonly NativeGraphOp[], graphOutput: number): NativeGraphOp[] {
  const readers = new Map<number, number>();
  for (const op of ops) for (const t of op.inputs) readers.set(t, (readers.get(t) ?? 0) + 1);
  const fusable = new Set<NativeGraphOp['kind']>(['conv2d', 'add', 'mul', 'globalAvgPool']);
  const activations: Partial<Record<NativeGraphOp['kind'], 'relu' | 'relu6' | 'hardSwish'>> = { relu: 'relu', relu6: 'relu6', hardSwish: 'hardSwish' };
  const out: NativeGraphOp[] = [];
  for (const op of ops) {
    const activation = activations[op.kind];
    const producer = out.find((p) => p.output === op.inputs[0]);
    if (
      activation !== undefined &&
      producer !== undefined &&
      fusable.has(producer.kind) &&
      (producer.activation ?? 'none') === 'none' &&
      readers.get(producer.output) === 1 &&
      producer.output !== graphOutput
    ) {
      out[out.indexOf(producer)] = { ...producer, output: op.output, activation };
      continue;
    }
    out.push(op);
  }
  return out;
}

function describeOp(op: TfliteOperator): string {
  return `operator ${op.index} (${op.opcode})`;
}

function fusedActivation(op: TfliteOperator, fail: (reason: string) => Error): 'none' | 'relu' | 'relu6' {
  const a = op.options.activation ?? 'none';
  if (a !== 'none' && a !== 'relu' && a !== 'relu6') throw fail(`${describeOp(op)}: fused activation ${a} is not supported`);
  return a;
}

/**
 * TFLite's padding: SAME pads (out - 1) * stride + effective kernel - in in total, the smaller half
 * before (https://www.tensorflow.org/api_docs/python/tf/nn#notes_on_padding_2). Checks the output size.
 */
export function convPadding(
  inShape: readonly number[],
  outShape: readonly number[],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  padding: 'same' | 'valid' | undefined,
  fail: (reason: string) => Error,
): [number, number, number, number] {
  const pads = [0, 1].map((axis) => {
    const [inSize, outSize, s] = [inShape[1 + axis]!, outShape[1 + axis]!, stride[axis]!];
    const k = (kernel[axis]! - 1) * dilation[axis]! + 1;
    if (s < 1) throw fail(`stride ${s}`);
    const expected = padding === 'valid' ? Math.ceil((inSize - k + 1) / s) : Math.ceil(inSize / s);
    if (outSize !== expected) throw fail(`output size ${outSize}, but ${padding ?? 'same'} padding of ${inSize} with kernel ${k} and stride ${s} gives ${expected}`);
    if (padding === 'valid') return [0, 0];
    const total = Math.max((outSize - 1) * s + k - inSize, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
  return [pads[0]![0]!, pads[0]![1]!, pads[1]![0]!, pads[1]![1]!];
}

/** MediaPipe's TfLiteTransposeConvParams: int32 padding (1 SAME, 2 VALID), stride_width, stride_height. */
function transposeOptions(op: TfliteOperator, fail: (reason: string) => Error): { padding: 'same' | 'valid'; strideW: number; strideH: number } {
  const bytes = op.customOptions;
  if (bytes === undefined || bytes.byteLength < 12) throw fail(`${describeOp(op)}: its custom options are missing or short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [padding, strideW, strideH] = [view.getInt32(0, true), view.getInt32(4, true), view.getInt32(8, true)];
  if ((padding !== 1 && padding !== 2) || strideW < 1 || strideH < 1) throw fail(`${describeOp(op)}: custom options padding ${padding}, strides ${strideW}x${strideH}`);
  return { padding: padding === 1 ? 'same' : 'valid', strideW, strideH };
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}

function float32s(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

/** Reorders a 4-d row-major tensor: output axis k is input axis perm[k]. */
export function permute(tensor: { shape: readonly number[]; data: Float32Array }, perm: readonly [number, number, number, number]): Float32Array {
  const shape = tensor.shape;
  const strides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
  const outShape = perm.map((p) => shape[p]!);
  const out = new Float32Array(tensor.data.length);
  let n = 0;
  for (let a = 0; a < outShape[0]!; a++)
    for (let b = 0; b < outShape[1]!; b++)
      for (let c = 0; c < outShape[2]!; c++)
        for (let d = 0; d < outShape[3]!; d++) {
          out[n++] = tensor.data[a * strides[perm[0]]! + b * strides[perm[1]]! + c * strides[perm[2]]! + d * strides[perm[3]]!]!;
        }
  return out;
}
