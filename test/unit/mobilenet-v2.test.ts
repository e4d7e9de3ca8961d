// MobileNetV2 converted from the TFLite classifier, run in float on the TF.js CPU backend.
import * as tf from '@tensorflow/tfjs';
import { createMobileNetV2, type MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { decodeConvertedWeights } from '../../models/weights/decode';
import type { MobileNetExtras } from '../../models/tflite/convert-mobilenet';
import { convertedWeights, readImageResized, readLabels } from './tflite-helpers';

let net: MobileNetV2;
let labels: string[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  tf.env().set('IS_TEST', true); // silences the "install tfjs-node" banner
  const { weights, extras } = { weights: decodeConvertedWeights(convertedWeights('mobilenet_v2')), extras: convertedWeights('mobilenet_v2').manifest.extras as unknown as MobileNetExtras };
  net = createMobileNetV2(weights, extras);
  labels = readLabels();
});
afterAll(() => net?.dispose());

async function top1(file: string): Promise<{ label: string; probability: number }> {
  const image = readImageResized(`content/${file}`, [224, 224]);
  const probs = net.probabilities(image);
  const values = await probs.data();
  tf.dispose([image, probs]);
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return { label: labels[best]!, probability: values[best]! };
}

describe('MobileNetV2', () => {
  it('has 1001 labels with background first', () => {
    expect(labels).toHaveLength(1001);
    expect(labels[0]).toBe('background');
  });

  it('classifies chelsea.png as a cat and coffee.png as espresso (224x224)', async () => {
    const cat = await top1('chelsea.png');
    expect(['Egyptian cat', 'tabby, tabby cat', 'tabby']).toContain(cat.label);
    expect(cat.probability).toBeGreaterThan(0.5);
    const coffee = await top1('coffee.png');
    expect(coffee.label).toBe('espresso');
    expect(coffee.probability).toBeGreaterThan(0.5);
  }, 60_000);

  it('gives endpoints of the expected shapes at a small non-native size', () => {
    const image = tf.randomUniform([64, 96, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const out = net.endpoints(image, ['stem', 'block_0', 'block_5', 'block_16', 'head', 'embedding', 'logits']);
    expect(out.stem.shape).toEqual([1, 32, 48, 32]);
    expect(out.block_0.shape).toEqual([1, 32, 48, 16]);
    expect(out.block_5.shape).toEqual([1, 8, 12, 32]);
    expect(out.block_16.shape).toEqual([1, 2, 3, 320]);
    expect(out.head.shape).toEqual([1, 2, 3, 1280]);
    expect(out.embedding.shape).toEqual([1, 1280]);
    expect(out.logits.shape).toEqual([1, 1001]);
    expect(net.blockCount).toBe(17);
    tf.dispose(Object.values(out));
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
    expect(() => net.endpoints(image, ['block_99' as 'block_1'])).toThrow();
  }, 60_000);

  it('has a finite, non-zero gradient of a block output with respect to the input', () => {
    const image = readImageResized('content/chelsea.png', [64, 64]);
    const before = tf.memory().numTensors;
    const grad = tf.grad((x: tf.Tensor) => tf.sum(net.endpoints(x as tf.Tensor4D, ['block_5']).block_5))(image);
    const g = grad.dataSync();
    expect(grad.shape).toEqual([1, 64, 64, 3]);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.some((v) => Math.abs(v) > 1e-6)).toBe(true);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  }, 60_000);

  it('emulating the graph\'s quantization: same top-1 on chelsea/coffee, outputs on the uint8 grids, finite non-zero gradient', async () => {
    for (const [file, expected] of [
      ['chelsea.png', ['Egyptian cat', 'tabby, tabby cat', 'tabby', 'tiger cat']],
      ['coffee.png', ['espresso']],
    ] as const) {
      // Whole 0..255 steps, as the quantized graph's uint8 input.
      const image = tf.tidy(() => tf.div(tf.round(tf.mul(readImageResized(`content/${file}`, [224, 224]), 255)), 255) as tf.Tensor4D);
      const [float, emulated] = [net.probabilities(image), net.probabilities(image, { emulateQuantization: true })];
      const argmax = async (t: tf.Tensor) => {
        const a = tf.argMax(t, 1);
        const i = (await a.data())[0]!;
        a.dispose();
        return i;
      };
      const [f, e] = [await argmax(float), await argmax(emulated)];
      expect(labels[e]).toBe(labels[f]);
      expect(expected).toContain(labels[e]);
      // Probabilities on the softmax output's 1/256 grid.
      const p = await emulated.data();
      expect(Array.from(p).every((v) => Math.abs(v * 256 - Math.round(v * 256)) < 1e-3)).toBe(true);
      tf.dispose([image, float, emulated]);
    }
    const small = readImageResized('content/chelsea.png', [64, 64]);
    const before = tf.memory().numTensors;
    const grad = tf.grad((x: tf.Tensor) => tf.sum(net.endpoints(x as tf.Tensor4D, ['block_5'], { emulateQuantization: true }).block_5))(small);
    const g = grad.dataSync();
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.some((v) => Math.abs(v) > 1e-6)).toBe(true);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    small.dispose();
  }, 120_000);

  it('leaks no tensors across repeated calls', () => {
    const image = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const run = () => tf.dispose([net.logits(image), net.probabilities(image)]);
    run();
    const before = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  }, 60_000);
});
