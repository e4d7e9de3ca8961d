// Magenta arbitrary style transfer (predictor + transformer) converted from TFLite, on the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { createStylePredictor, createStyleTransformer, disposeNormStats, type StylePredictor, type StyleTransformer } from '../../models/networks/magenta';
import { decodeConvertedWeights } from '../../models/weights/decode';
import type { MobileNetExtras } from '../../models/tflite/convert-mobilenet';
import type { TransformerExtras } from '../../models/tflite/convert-magenta-transformer';
import { convertedWeights, readImage, readImageResized } from './tflite-helpers';

let predictor: StylePredictor;
let transformer: StyleTransformer;
let starry: tf.Tensor4D; // bottleneck of starry_night.jpg

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

beforeAll(async () => {
  await tf.setBackend('cpu');
  tf.env().set('IS_TEST', true);
  const p = { weights: decodeConvertedWeights(convertedWeights('magenta_predictor')), extras: convertedWeights('magenta_predictor').manifest.extras as unknown as MobileNetExtras };
  predictor = createStylePredictor(p.weights, p.extras);
  const t = { weights: decodeConvertedWeights(convertedWeights('magenta_transformer')), extras: convertedWeights('magenta_transformer').manifest.extras as unknown as TransformerExtras };
  transformer = createStyleTransformer(t.weights, t.extras);
});
afterAll(() => {
  starry?.dispose();
  predictor?.dispose();
  transformer?.dispose();
});

describe('style predictor', () => {
  it('gives a finite 100-d bottleneck that differs between two paintings', () => {
    const a = readImage('styles/starry_night.jpg');
    const b = readImage('styles/the_scream.jpg');
    starry = predictor.predictStyle(a);
    const scream = predictor.predictStyle(b);
    expect(starry.shape).toEqual([1, 1, 1, 100]);
    expect(starry.dataSync().every(Number.isFinite)).toBe(true);
    expect(tf.tidy(() => tf.norm(starry).dataSync()[0]!)).toBeGreaterThan(1);
    expect(maxAbsDiff(starry, scream)).toBeGreaterThan(0.1);
    tf.dispose([a, b, scream]);
  }, 60_000);
});

describe('style transformer', () => {
  let content: tf.Tensor4D;
  beforeAll(() => {
    content = readImageResized('content/chelsea.png', [96, 128]);
  });
  afterAll(() => content.dispose());

  it('stylizes a 96x128 image: same size, values in [0,1], different from the input', () => {
    const out = transformer.transform(content, starry);
    expect(out.shape).toEqual([1, 96, 128, 3]);
    const v = out.dataSync();
    expect(v.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(tf.tidy(() => tf.mean(tf.abs(tf.sub(out, content))).dataSync()[0]!)).toBeGreaterThan(0.05);
    out.dispose();
  }, 60_000);

  it('accepts sizes that are not multiples of 4', () => {
    const odd = tf.randomUniform([1, 37, 50, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = transformer.transform(odd, starry);
    expect(out.shape).toEqual([1, 37, 50, 3]);
    tf.dispose([odd, out]);
  }, 60_000);

  it('has a finite, non-zero gradient with respect to the content', () => {
    const small = readImageResized('content/chelsea.png', [48, 64]);
    const before = tf.memory().numTensors;
    const grad = tf.grad((x: tf.Tensor) => tf.mean(transformer.transform(x as tf.Tensor4D, starry)))(small);
    const g = grad.dataSync();
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.some((x) => Math.abs(x) > 1e-8)).toBe(true);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    small.dispose();
  }, 60_000);

  it('reproduces its own output from captured norm statistics, and changes with foreign ones', () => {
    const content = readImageResized('content/coffee.png', [48, 64]);
    const stats = transformer.captureNormStats(content, starry);
    expect(stats).toHaveLength(transformer.normLayerCount);
    expect(stats).toHaveLength(13);
    expect(stats[0]!.mean.shape).toEqual([1, 1, 1, 32]);
    const plain = transformer.transform(content, starry);
    const fixed = transformer.transform(content, starry, { normStats: stats });
    expect(maxAbsDiff(plain, fixed)).toBeLessThan(1e-4);

    // Statistics of another image must change the result (the option is really used).
    const other = tf.randomUniform([1, 40, 40, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const otherStats = transformer.captureNormStats(other, starry);
    const foreign = transformer.transform(content, starry, { normStats: otherStats });
    expect(maxAbsDiff(plain, foreign)).toBeGreaterThan(1e-2);
    disposeNormStats(stats);
    disposeNormStats(otherStats);
    tf.dispose([content, plain, fixed, other, foreign]);
  }, 60_000);

  it('leaks no tensors when run twice', () => {
    const small = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const bottleneck = predictor.predictStyle(small, { resize: false });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const stats = transformer.captureNormStats(small, bottleneck);
      tf.dispose(transformer.transform(small, bottleneck, { normStats: stats }));
      disposeNormStats(stats);
      tf.dispose(predictor.predictStyle(small));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([small, bottleneck]);
  }, 60_000);
});
