import { readFileSync } from 'fs';
import { BadInputError } from '../../../src/pipeline/errors';
import { compileGraph, convPadding, fuseActivations } from '../../../src/prior/compile-graph';
import { halfToFloat } from '../../../src/prior/half-to-float';
import { personPriorModelPath } from '../../../src/prior/person-prior';
import { readTflite, type TfliteModel } from '../../../src/prior/read-tflite';

const generalPath = personPriorModelPath('general');
const general = readTflite(readFileSync(generalPath), generalPath);

describe('readTflite', () => {
  it("reads MediaPipe's selfie segmentation model: tensors, operators, options and fp16 weights", () => {
    expect(general.version).toBe(3);
    expect(general.operators).toHaveLength(246);
    const input = general.tensors[general.inputs[0]!]!;
    expect(input).toMatchObject({ type: 'float32', shape: [1, 256, 256, 3] });
    expect(general.tensors[general.outputs[0]!]!.shape).toEqual([1, 256, 256, 1]);
    const first = general.operators.find((op) => op.opcode === 'CONV_2D')!;
    expect(first.inputs[0]).toBe(general.inputs[0]);
    expect(first.options).toEqual({ padding: 'same', strideW: 2, strideH: 2, activation: 'none', dilationW: 1, dilationH: 1 });
    const resize = general.operators.find((op) => op.opcode === 'RESIZE_BILINEAR')!;
    expect(resize.options).toEqual({ alignCorners: false, halfPixelCenters: true });
    const custom = general.operators.find((op) => op.custom)!;
    expect(custom.opcode).toBe('Convolution2DTransposeBias');
    expect(Array.from(custom.customOptions!)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0]);
    const dequantize = general.operators.filter((op) => op.opcode === 'DEQUANTIZE');
    expect(dequantize).toHaveLength(110);
    expect(dequantize.every((op) => general.tensors[op.inputs[0]!]!.type === 'float16')).toBe(true);
  });

  it('reads the landscape model (144x256 input, MEAN for its pools)', () => {
    const file = personPriorModelPath('landscape');
    const model = readTflite(readFileSync(file), file);
    expect(model.tensors[model.inputs[0]!]!.shape).toEqual([1, 144, 256, 3]);
    expect(model.operators.filter((op) => op.opcode === 'MEAN')).toHaveLength(10);
  });

  it('refuses a file that is not a TensorFlow Lite model', () => {
    const bytes = new TextEncoder().encode('not a model, just some text');
    const call = () => readTflite(bytes, 'notes.tflite');
    expect(call).toThrow(BadInputError);
    expect(call).toThrow('notes.tflite is not a TensorFlow Lite model vidgan can read: its file identifier is "a mo", not "TFL3".');
  });

  it('refuses a truncated model with the offset that fell outside it', () => {
    const bytes = readFileSync(generalPath).subarray(0, 4096);
    let error: unknown;
    try {
      readTflite(bytes, 'short.tflite');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).code).toBe('BAD_INPUT');
    expect((error as BadInputError).path).toBe('short.tflite');
    expect((error as Error).message).toMatch(/^short\.tflite is not a TensorFlow Lite model vidgan can read: .*lie outside the file of 4096 bytes\.$/);
  });
});

describe('halfToFloat', () => {
  it('converts normal, subnormal and special half floats', () => {
    // 1, -2, 0.5, 65504 (max), 2^-24 (smallest subnormal), +inf, 0
    const halves = [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00, 0x0000];
    const bytes = new Uint8Array(halves.flatMap((h) => [h & 0xff, h >> 8]));
    expect(Array.from(halfToFloat(bytes))).toEqual([1, -2, 0.5, 65504, 2 ** -24, Infinity, 0]);
  });

  it('refuses an odd byte count', () => {
    expect(() => halfToFloat(new Uint8Array(3))).toThrow(new RangeError('float16 data must have an even byte count, not 3'));
  });
});

describe('fuseActivations', () => {
  it('folds an activation into the operator before it only when it is that output\'s one reader', () => {
    const ops = [
      { kind: 'conv2d' as const, inputs: [0, 9], output: 1 },
      { kind: 'relu' as const, inputs: [1], output: 2 },
      { kind: 'conv2d' as const, inputs: [2, 9], output: 3 },
      { kind: 'hardSwish' as const, inputs: [3], output: 4 },
      { kind: 'add' as const, inputs: [3, 4], output: 5 },
    ];
    expect(fuseActivations(ops, 5)).toEqual([
      { kind: 'conv2d', inputs: [0, 9], output: 2, activation: 'relu' },
      { kind: 'conv2d', inputs: [2, 9], output: 3 },
      { kind: 'hardSwish', inputs: [3], output: 4 },
      { kind: 'add', inputs: [3, 4], output: 5 },
    ]);
  });

  it('keeps the graph output', () => {
    const ops = [
      { kind: 'conv2d' as const, inputs: [0, 9], output: 1 },
      { kind: 'relu' as const, inputs: [1], output: 2 },
    ];
    expect(fuseActivations(ops, 1)).toEqual(ops);
  });
});

describe('convPadding', () => {
  const fail = (reason: string) => new Error(reason);

  it("pads TFLite's SAME asymmetrically: the extra row and column go after", () => {
    expect(convPadding([1, 256, 256, 3], [1, 128, 128, 16], [3, 3], [2, 2], [1, 1], 'same', fail)).toEqual([0, 1, 0, 1]);
    expect(convPadding([1, 32, 32, 8], [1, 16, 16, 8], [5, 5], [2, 2], [1, 1], 'same', fail)).toEqual([1, 2, 1, 2]);
    expect(convPadding([1, 16, 16, 8], [1, 16, 16, 8], [5, 5], [1, 1], [1, 1], 'same', fail)).toEqual([2, 2, 2, 2]);
    expect(convPadding([1, 16, 16, 8], [1, 14, 14, 8], [3, 3], [1, 1], [1, 1], 'valid', fail)).toEqual([0, 0, 0, 0]);
  });

  it('refuses an output size its options do not give', () => {
    expect(() => convPadding([1, 16, 16, 8], [1, 16, 16, 8], [3, 3], [2, 2], [1, 1], 'same', fail)).toThrow(
      'output size 16, but same padding of 16 with kernel 3 and stride 2 gives 8',
    );
  });
});

describe('compileGraph', () => {
  it('translates the whole model into native operators, weights moved to torch layouts', () => {
    const spec = compileGraph(general, generalPath);
    expect(spec).toMatchObject({ inputHeight: 256, inputWidth: 256, input: general.inputs[0], output: general.outputs[0] });
    const kinds = new Set(spec.ops.map((op) => op.kind));
    expect([...kinds].sort()).toEqual(['add', 'conv2d', 'convTranspose2d', 'globalAvgPool', 'mul', 'resizeBilinear', 'sigmoid']);
    // 246 operators less 110 DEQUANTIZE and the 33 RELU / HARD_SWISH folded into the convolution before them.
    expect(spec.ops).toHaveLength(246 - 110 - 33);
    expect(spec.ops.filter((op) => op.activation === 'hardSwish')).toHaveLength(11);
    expect(spec.ops.filter((op) => op.activation === 'relu')).toHaveLength(22);
    const firstConv = spec.ops[0]!;
    expect(firstConv).toMatchObject({ kind: 'conv2d', stride: [2, 2], pad: [0, 1, 0, 1], groups: 1, activation: 'hardSwish' });
    expect(spec.constants.find((c) => c.index === firstConv.inputs[1])!.shape).toEqual([16, 3, 3, 3]);
    const depthwise = spec.ops.find((op) => op.kind === 'conv2d' && (op.groups ?? 1) > 1)!;
    expect(spec.constants.find((c) => c.index === depthwise.inputs[1])!.shape).toEqual([16, 1, 3, 3]);
    expect(spec.ops.find((op) => op.kind === 'convTranspose2d')).toMatchObject({ stride: [2, 2], pad: [0, 0, 0, 0], size: [256, 256] });
  });

  it('names the operator it cannot run', () => {
    const model: TfliteModel = {
      ...general,
      operators: [{ index: 0, opcode: 'SOFTMAX', custom: false, inputs: [general.inputs[0]!], outputs: [general.outputs[0]!], options: {} }],
    };
    const call = () => compileGraph(model, 'm.tflite');
    expect(call).toThrow(BadInputError);
    expect(call).toThrow("m.tflite cannot run in vidgan's graph executor: operator 0 (SOFTMAX) is not an operator it implements.");
  });
});
