// The WASM forms of the networks' layers give what the plain TF.js formulation gives: instance-norm statistics
// (instance-norm.ts) as tf.moments, the normalised activations as (x - mean) * gamma / sqrt(var + eps) + beta then
// the activation, the global average (ops.ts) as tf.mean, a width-packed convolution (packed-conv.ts) as tf.conv2d,
// and a 3x3 convolution of a 2x upsampling computed on the small image (upsample-conv.ts) as resize, reflect pad and
// tf.conv2d. The whole transformer on WASM against the same weights on TF.js's CPU backend is in magenta-wasm below.
import * as tf from '@tensorflow/tfjs';
import { channelMoments, normalize, type NormActivation } from '../../models/networks/instance-norm';
import { packedConv, packedKernel } from '../../models/networks/packed-conv';
import { disposeUpsampledConvKernels, upsampledConv, upsampledConvKernels } from '../../models/networks/upsample-conv';
import { createStyleTransformer } from '../../models/networks/magenta';
import { decodeConvertedWeights } from '../../models/weights/decode';
import type { TransformerExtras } from '../../models/tflite/convert-magenta-transformer';
import { globalAverage } from '../../models/networks/ops';
import { useWasmBackend } from '../support/assets';
import { convertedWeights } from './tflite-helpers';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

beforeAll(async () => {
  await useWasmBackend();
});

describe('instance norm on WASM', () => {
  it.each([
    [1, 1, 4],
    [7, 5, 3],
    [24, 31, 8],
    [40, 40, 32],
  ])('statistics of [1,%i,%i,%i] equal tf.moments', (h, w, c) => {
    const x = tf.randomNormal([1, h, w, c], 2, 3, 'float32', h + w + c) as tf.Tensor4D;
    const ours = channelMoments(x);
    const { mean, variance } = tf.moments(x, [1, 2], true);
    expect(ours.mean.shape).toEqual([1, 1, 1, c]);
    expect(ours.variance.shape).toEqual([1, 1, 1, c]);
    expect(maxAbsDiff(ours.mean, mean)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ours.variance, variance)).toBeLessThan(1e-4); // variance ~9: relative 1e-5
    tf.dispose([x, ours.mean, ours.variance, mean, variance]);
  });

  it.each(['none', 'relu', 'sigmoid'] as NormActivation[])('normalises with gamma, beta and %s as plain arithmetic', (activation) => {
    const c = 6;
    const x = tf.randomNormal([1, 9, 11, c], 1, 2, 'float32', 5) as tf.Tensor4D;
    const gamma = tf.randomNormal([1, 1, 1, c], 1, 0.5, 'float32', 6);
    const beta = tf.randomNormal([1, 1, 1, c], 0, 0.5, 'float32', 7);
    const before = tf.memory().numTensors;
    const moments = channelMoments(x);
    const ours = normalize(x, moments, gamma, beta, 1e-3, activation);
    const expected = tf.tidy(() => {
      const y = tf.add(tf.mul(tf.div(tf.sub(x, moments.mean), tf.sqrt(tf.add(moments.variance, 1e-3))), gamma), beta);
      return activation === 'relu' ? tf.relu(y) : activation === 'sigmoid' ? tf.sigmoid(y) : y;
    });
    expect(ours.shape).toEqual(x.shape);
    expect(maxAbsDiff(ours, expected)).toBeLessThan(1e-5);
    tf.dispose([ours, expected, moments.mean, moments.variance]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta]);
  });
});

describe('global average on WASM (MobileNetV2 and the style predictor)', () => {
  it.each([
    [7, 7, 1280],
    [8, 8, 1280],
    [3, 5, 2],
  ])('of [1,%i,%i,%i] equals tf.mean over H and W', (h, w, c) => {
    const x = tf.randomUniform([1, h, w, c], 0, 6, 'float32', h * c) as tf.Tensor4D;
    const ours = globalAverage(x);
    const expected = tf.mean(x, [1, 2], true);
    expect(ours.shape).toEqual([1, 1, 1, c]);
    expect(maxAbsDiff(ours, expected)).toBeLessThan(1e-5);
    tf.dispose([x, ours, expected]);
  });
});

describe('width-packed convolution on WASM', () => {
  it.each([
    // [height, width, in channels, kernel, out channels, packing]: widths that divide and that do not
    [20, 24, 8, 9, 3, 2],
    [13, 21, 8, 9, 3, 2],
    [10, 17, 4, 3, 1, 8],
    [9, 9, 5, 9, 2, 4],
  ])('[1,%i,%i,%i], %i-wide kernel, %i output channels, %i columns packed: equals tf.conv2d', (h, w, cin, k, cout, f) => {
    const x = tf.randomNormal([1, h, w, cin], 0, 1, 'float32', h * w) as tf.Tensor4D;
    const filter = tf.randomNormal([k, k, cin, cout], 0, 0.2, 'float32', k + cout) as tf.Tensor4D;
    const bias = tf.randomNormal([cout], 0, 0.2, 'float32', 9) as tf.Tensor1D;
    const kernel = packedKernel(filter, f);
    const packedBias = tf.concat(Array.from({ length: f }, () => bias)) as tf.Tensor1D;
    const ours = packedConv(x, kernel, k, f, packedBias, 'relu');
    const expected = tf.tidy(() => tf.relu(tf.add(tf.conv2d(x, filter, 1, 'valid'), bias)));
    expect(ours.shape).toEqual(expected.shape);
    expect(maxAbsDiff(ours, expected)).toBeLessThan(1e-5);
    tf.dispose([x, filter, bias, packedBias, kernel, ours, expected]);
  });
});

describe('3x3 convolution of a 2x upsampling, computed on the small image, on WASM', () => {
  it.each([
    [6, 9, 4, 3],
    [12, 12, 8, 16],
    [1, 1, 2, 2],
  ])('[1,%i,%i,%i] -> %i channels equals resize, reflect pad and tf.conv2d', (h, w, cin, cout) => {
    const x = tf.randomNormal([1, h, w, cin], 0, 1, 'float32', h + w) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, cin, cout], 0, 0.3, 'float32', cin + cout) as tf.Tensor4D;
    const bias = tf.randomNormal([cout], 0, 0.2, 'float32', 4) as tf.Tensor1D;
    const kernels = upsampledConvKernels(filter, bias);
    const before = tf.memory().numTensors;
    const ours = upsampledConv(x, kernels, 'relu');
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = tf.tidy(() => {
      const up = tf.mirrorPad(tf.image.resizeNearestNeighbor(x, [2 * h, 2 * w]), [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect');
      return tf.relu(tf.add(tf.conv2d(up, filter, 1, 'valid'), bias));
    });
    expect(ours.shape).toEqual([1, 2 * h, 2 * w, cout]);
    expect(maxAbsDiff(ours, expected)).toBeLessThan(1e-5);
    disposeUpsampledConvKernels(kernels);
    tf.dispose([x, filter, bias, ours, expected]);
  });
});

describe('magenta-wasm', () => {
  it.each([
    [36, 50],
    [36, 48],
  ])('the transformer at %ix%i on WASM gives what it gives on the CPU backend (norms, packed and upsampling layers, fixed statistics)', async (height, width) => {
    const converted = convertedWeights('magenta_transformer');
    const extras = converted.manifest.extras as unknown as TransformerExtras;
    const content = tf.randomUniform([1, height, width, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    const bottleneck = tf.randomNormal([1, 1, 1, 100], 0, 0.5, 'float32', 12);
    const run = () => {
      const transformer = createStyleTransformer(decodeConvertedWeights(converted), extras);
      const stats = transformer.captureNormStats(content, bottleneck);
      const own = transformer.transform(content, bottleneck);
      const fixed = transformer.transform(content, bottleneck, { normStats: stats });
      const values = [own.dataSync().slice(), fixed.dataSync().slice()];
      tf.dispose([own, fixed, ...stats.flatMap((s) => [s.mean, s.variance])]);
      transformer.dispose();
      return values;
    };
    const before = tf.memory().numTensors;
    const [wasm, wasmFixed] = run();
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await (async () => {
      const data = { content: content.dataSync().slice(), bottleneck: bottleneck.dataSync().slice() };
      await tf.setBackend('cpu');
      try {
        const c = tf.tensor4d(data.content, [1, height, width, 3]);
        const b = tf.tensor4d(data.bottleneck, [1, 1, 1, 100]);
        const transformer = createStyleTransformer(decodeConvertedWeights(converted), extras);
        const out = transformer.transform(c, b);
        const values = out.dataSync().slice();
        tf.dispose([c, b, out]);
        transformer.dispose();
        return values;
      } finally {
        await tf.setBackend('wasm');
      }
    })();
    let worst = 0;
    for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i]! - wasm[i]!), Math.abs(cpu[i]! - wasmFixed[i]!));
    expect(worst).toBeLessThan(1e-4); // outputs in 0..1
    tf.dispose([content, bottleneck]);
  }, 60_000);
});
