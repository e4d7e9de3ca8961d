// The TFLite reader and converter pieces: float16, dequantization, kernel layouts, graph reading, shard.
import * as tf from '@tensorflow/tfjs';
import { float16ToFloat32, float32ToFloat16 } from '../../models/tflite/float16';
import { dequantize, constantValues, rawValues } from '../../models/tflite/dequantize';
import { ohwiToHwio, depthwiseToHwc1 } from '../../models/tflite/layout';
import { readTfliteModel } from '../../models/tflite/model-reader';
import { decodeGraph, layerScope, constantInput } from '../../models/tflite/graph';
import { convertedWeights, readTflite } from './tflite-helpers';

beforeAll(() => tf.setBackend('cpu'));

describe('float16', () => {
  it('encodes known values bit-exactly and round-trips', () => {
    expect(float32ToFloat16(1)).toBe(0x3c00);
    expect(float32ToFloat16(-2)).toBe(0xc000);
    expect(float32ToFloat16(65504)).toBe(0x7bff);
    expect(float32ToFloat16(0.1)).toBe(0x2e66);
    expect(float32ToFloat16(1e6)).toBe(0x7c00); // overflow -> Inf
    expect(float32ToFloat16(2 ** -24)).toBe(0x0001); // smallest subnormal
    for (const h of [0x0001, 0x03ff, 0x0400, 0x3555, 0x3c01, 0x7bff, 0xbc00, 0x8001]) {
      expect(float32ToFloat16(float16ToFloat32(h))).toBe(h);
    }
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0x2e66)).toBeCloseTo(0.0999755859375, 12);
  });
});

describe('dequantize', () => {
  it('applies per-tensor scale and zero point', () => {
    const q = { scale: [0.5], zeroPoint: [128], quantizedDimension: 0, min: [], max: [] };
    expect([...dequantize([128, 130, 0], [3], q)]).toEqual([0, 1, -64]);
  });
  it('applies per-channel scales along quantized_dimension', () => {
    // shape [2,3]: axis 0 -> rows get their own scale; axis 1 -> columns.
    const values = [1, 2, 3, 4, 5, 6];
    const rows = { scale: [1, 10], zeroPoint: [0, 1], quantizedDimension: 0, min: [], max: [] };
    expect([...dequantize(values, [2, 3], rows)]).toEqual([1, 2, 3, 30, 40, 50]);
    const cols = { scale: [1, 2, 3], zeroPoint: [0, 0, 0], quantizedDimension: 1, min: [], max: [] };
    expect([...dequantize(values, [2, 3], cols)]).toEqual([1, 4, 9, 4, 10, 18]);
  });
});

describe('kernel layouts', () => {
  it('OHWI -> HWIO moves the output channel last', () => {
    // [O=2,H=1,W=2,I=2], value = 1000*o + 100*h + 10*w + i
    const v = new Float32Array([0, 1, 10, 11, 1000, 1001, 1010, 1011]);
    const { values, shape } = ohwiToHwio(v, [2, 1, 2, 2]);
    expect(shape).toEqual([1, 2, 2, 2]);
    // HWIO index [h][w][i][o]
    expect([...values]).toEqual([0, 1000, 1, 1001, 10, 1010, 11, 1011]);
  });
  it('depthwise 1HWC -> HWC1', () => {
    const { shape } = depthwiseToHwc1(new Float32Array(18), [1, 3, 3, 2]);
    expect(shape).toEqual([3, 3, 2, 1]);
  });
});

describe('reading the shipped graphs', () => {
  it('MobileNetV2: uint8 graph with the expected ops and input quantization', () => {
    const model = readTfliteModel(readTflite('mobilenet_v2'));
    const ops = model.operators.map((o) => o.op);
    expect(ops.filter((o) => o === 'CONV_2D')).toHaveLength(36);
    expect(ops.filter((o) => o === 'DEPTHWISE_CONV_2D')).toHaveLength(17);
    expect(ops.slice(-3)).toEqual(['CONV_2D', 'RESHAPE', 'SOFTMAX']);
    const input = model.tensors[model.inputs[0]!]!;
    expect(input.type).toBe('UINT8');
    expect(input.shape).toEqual([1, 224, 224, 3]);
    expect(input.quantization?.scale[0]).toBeCloseTo(1 / 128, 10);
    expect(input.quantization?.zeroPoint[0]).toBe(128);
    const first = model.operators[0]!;
    expect(first.options).toMatchObject({ kind: 'conv2d', strides: [2, 2], padding: 'same', activation: 'relu6' });
  });

  it('all three graphs contain only ops the reader knows', () => {
    for (const n of ['mobilenet_v2', 'magenta_predictor', 'magenta_transformer'] as const) {
      const unknown = readTfliteModel(readTflite(n)).operators.filter((o) => o.op.startsWith('OP_'));
      expect(unknown.map((o) => o.op)).toEqual([]);
    }
  });

  it('predictor: int8 per-channel weights dequantize on the output axis', () => {
    const graph = decodeGraph(readTfliteModel(readTflite('magenta_predictor')));
    const conv = graph.ops.find((o) => o.op === 'CONV_2D')!;
    const kernel = constantInput(conv, 1);
    expect(kernel.type).toBe('INT8');
    expect(kernel.quantization!.scale).toHaveLength(32);
    expect(kernel.quantization!.quantizedDimension).toBe(0);
    const values = constantValues(kernel);
    const raw = rawValues(kernel);
    const perOut = 3 * 3 * 3;
    // Output channel 5, element 7: its own scale.
    expect(values[5 * perOut + 7]).toBeCloseTo(kernel.quantization!.scale[5]! * (raw[5 * perOut + 7]! - kernel.quantization!.zeroPoint[5]!), 7);
    const dw = graph.ops.find((o) => o.op === 'DEPTHWISE_CONV_2D')!;
    expect(constantInput(dw, 1).quantization!.quantizedDimension).toBe(3);
  });

  it('transformer: DEQUANTIZE of float16 constants is folded into the conv weights', () => {
    const graph = decodeGraph(readTfliteModel(readTflite('magenta_transformer')));
    expect(graph.ops.some((o) => o.op === 'DEQUANTIZE')).toBe(false);
    const conv = graph.ops.find((o) => o.op === 'CONV_2D')!;
    const kernel = constantInput(conv, 1);
    expect(kernel.type).toBe('FLOAT16');
    expect(layerScope(kernel)).toBe('transformer/contract/conv1');
    expect(kernel.shape).toEqual([8, 9, 9, 3]);
  });
});

describe('convertTflite', () => {
  it('writes a shard whose size matches the manifest, and uint8 weights decode to scale * (q - zero_point)', () => {
    const converted = convertedWeights('mobilenet_v2');
    const { manifest, data } = converted;
    expect(manifest.format).toBe('pastiche-weights-1');
    const bytes = manifest.weights.reduce((n, w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      return n + size * (w.quantization ? (w.quantization.dtype === 'float16' ? 2 : 1) : 4);
    }, 0);
    expect(data.byteLength).toBe(bytes);

    const model = readTfliteModel(readTflite('mobilenet_v2'));
    const kernel = constantInput(decodeGraph(model).ops[0]!, 1); // [32,3,3,3] OHWI uint8
    const expected = ohwiToHwio(constantValues(kernel), kernel.shape).values;
    const decoded = tf.io.decodeWeights(data, manifest.weights);
    const got = decoded['MobilenetV2/Conv/weights']!;
    expect(got.shape).toEqual([3, 3, 3, 32]);
    const g = got.dataSync();
    let maxErr = 0;
    for (let i = 0; i < g.length; i++) maxErr = Math.max(maxErr, Math.abs(g[i]! - expected[i]!));
    expect(maxErr).toBeLessThan(1e-5);
    tf.dispose(Object.values(decoded));
  });

  it('transformer float16 weights survive the conversion exactly', () => {
    const { manifest, data } = convertedWeights('magenta_transformer');
    const decoded = tf.io.decodeWeights(data, manifest.weights);
    const graph = decodeGraph(readTfliteModel(readTflite('magenta_transformer')));
    const kernel = constantInput(graph.ops.find((o) => o.op === 'CONV_2D')!, 1);
    const expected = ohwiToHwio(constantValues(kernel), kernel.shape).values;
    expect([...decoded['transformer/contract/conv1/weights']!.dataSync()]).toEqual([...expected]);
    const norms = (manifest.extras!.layers as { norm?: unknown }[]).filter((l) => l.norm);
    expect(norms).toHaveLength(13);
    tf.dispose(Object.values(decoded));
  });
});
