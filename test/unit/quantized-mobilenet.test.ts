// models/networks/quantized-mobilenet.ts: MobileNetV2's forward pass on the integer kernels (WASM) gives the levels
// that the float emulation of the quantized graph gives (fake-quant.ts), and the same classes.
import * as tf from '@tensorflow/tfjs';
import { createMobileNetV2, mobileNetV2Head, mobileNetV2Trunk, type MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { quantizedKernelsReady } from '../../models/networks/quantized-kernels';
import { disposeQuantizedLayers } from '../../models/networks/quantized-layers';
import { decodeConvertedWeights } from '../../models/weights/decode';
import type { MobileNetExtras } from '../../models/tflite/convert-mobilenet';
import { useWasmBackend } from '../support/assets';
import { convertedWeights, readImageResized } from './tflite-helpers';

let net: MobileNetV2;
let extras: MobileNetExtras;

beforeAll(async () => {
  await useWasmBackend();
  const converted = convertedWeights('mobilenet_v2');
  extras = converted.manifest.extras as unknown as MobileNetExtras;
  net = createMobileNetV2(decodeConvertedWeights(converted), extras);
});
afterAll(() => net?.dispose());

/** The head's output by the integer route (only 'head' asked) and by the float emulation (an inner endpoint too). */
function heads(image: tf.Tensor4D): { integer: Float32Array; emulated: Float32Array } {
  return tf.tidy(() => ({
    integer: net.endpoints(image, ['head'], { emulateQuantization: true }).head.dataSync() as Float32Array,
    emulated: net.endpoints(image, ['block_16', 'head'], { emulateQuantization: true }).head.dataSync() as Float32Array,
  }));
}

describe('MobileNetV2 on integer kernels', () => {
  it('runs on WASM with SIMD', () => {
    expect(quantizedKernelsReady()).toBe(true);
  });

  it.each(['chelsea.png', 'coffee.png'])('gives the emulation\'s head levels on %s at 224 px', (file) => {
    const image = readImageResized(`content/${file}`, [224, 224]);
    const { integer, emulated } = heads(image);
    image.dispose();
    const scale = extras.quantization!.layers[extras.head]!.scale;
    let differing = 0;
    let worst = 0;
    for (let i = 0; i < integer.length; i++) {
      const d = Math.round(Math.abs(integer[i]! - emulated[i]!) / scale);
      if (d > 0) differing++;
      worst = Math.max(worst, d);
    }
    expect(worst).toBe(0);
    expect(differing).toBe(0);
  });

  it('takes the integer route only for the head and what follows it, and never under a gradient tape', async () => {
    const image = tf.randomUniform([1, 96, 96, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const kernelsOf = async (f: () => tf.TensorContainer) => new Set((await tf.profile(() => f())).kernelNames);
    const integer = await kernelsOf(() => net.logits(image, { emulateQuantization: true }));
    expect(integer.has('PasticheQuantizedPointwise_int16')).toBe(true);
    expect(integer.has('PasticheQuantizedAdd')).toBe(true);
    const inner = await kernelsOf(() => net.endpoints(image, ['block_3', 'embedding'], { emulateQuantization: true }));
    expect(inner.has('PasticheQuantizedPointwise_int16')).toBe(false);
    const float = await kernelsOf(() => net.logits(image));
    expect(float.has('PasticheQuantizedPointwise_int16')).toBe(false);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(net.logits(x as tf.Tensor4D, { emulateQuantization: true })))(image);
    expect(Number.isFinite((await grad.abs().sum().data())[0])).toBe(true);
    expect((await grad.abs().sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([image, grad]);
  });

  it('gives the same logits for a batch as image by image, at odd sizes down to 32 px', () => {
    for (const size of [32, 57]) {
      const images = tf.randomUniform([2, size, size + 3, 3], 0, 1, 'float32', size) as tf.Tensor4D;
      const together = tf.tidy(() => net.logits(images, { emulateQuantization: true }).arraySync());
      const emulated = tf.tidy(() => net.endpoints(images, ['block_0', 'logits'], { emulateQuantization: true }).logits.arraySync() as number[][]);
      for (const b of [0, 1]) {
        const alone = tf.tidy(() => net.logits(tf.slice(images, [b, 0, 0, 0], [1, -1, -1, -1]), { emulateQuantization: true }).arraySync()[0]!);
        expect(together[b]).toEqual(alone);
        expect(together[b]).toEqual(emulated[b]);
      }
      images.dispose();
    }
  });

  it('runs the style predictor\'s int8 graph (per-channel kernel scales) level for level as its emulation', () => {
    const converted = convertedWeights('magenta_predictor');
    const predictorExtras = converted.manifest.extras as unknown as MobileNetExtras;
    const weights = decodeConvertedWeights(converted);
    expect(Object.keys(predictorExtras.quantization?.channelKernels ?? {}).length).toBe(predictorExtras.layers.length);
    const image = readImageResized('styles/starry_night.jpg', [256, 256]);
    const emulate = { emulateQuantization: true };
    const [integer, emulated] = tf.tidy(() => [
      mobileNetV2Head(image, weights, predictorExtras, emulate).dataSync(),
      mobileNetV2Trunk(image, weights, predictorExtras, undefined, emulate)!.dataSync(),
    ]);
    const scale = predictorExtras.quantization!.layers[predictorExtras.head]!.scale;
    let differing = 0;
    for (let i = 0; i < integer!.length; i++) if (Math.round(Math.abs(integer![i]! - emulated![i]!) / scale) > 0) differing++;
    expect(integer!.length).toBe(8 * 8 * 1280);
    expect(differing).toBe(0);
    disposeQuantizedLayers(weights);
    tf.dispose([image, ...Object.values(weights)]);
  });

  it('leaves no tensor behind across repeated calls (its integer layers are made once)', () => {
    const image = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    tf.tidy(() => net.logits(image, { emulateQuantization: true })).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) tf.tidy(() => net.logits(image, { emulateQuantization: true })).dispose();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });
});
