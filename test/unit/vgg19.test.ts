// VGG19 blocks 1-3 from the converted (float16) cache: shapes, ReLU sign, aliases, gradients, and agreement with
// the original float32 shards.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { VGG19_LAYERS, type Vgg19, caffePreprocess, createVgg19 } from '../../models/networks/vgg19';
import { parseLayersModel, readLayersWeights } from '../../models/setup/layers-model';
import { runSetup } from '../../models/setup/run-setup';
import { decodeConvertedWeights } from '../../models/weights/decode';
import { createFileWeightStore } from '../../models/weights/file-store';
import { useFastGradients } from '../../techniques/optimize/fast-gradients';
import { CACHE_DIR, useWasmBackend } from '../support/assets';

const ROOT = path.resolve(__dirname, '..', '..');
/** The verified original shards, as the setup step keeps them in the cache. */
const MIRROR = path.join(CACHE_DIR, 'sources');
let vgg: Vgg19;
let x: tf.Tensor4D;

const minOf = (t: tf.Tensor) => tf.tidy(() => t.min().dataSync()[0]);

beforeAll(async () => {
  await tf.setBackend('cpu');
  await runSetup({ projectRoot: ROOT, networks: ['vgg19'], images: false });
  vgg = createVgg19(decodeConvertedWeights(await createFileWeightStore(path.join(ROOT, '.cache', 'models')).load('vgg19')));
  x = tf.randomUniform([1, 32, 40, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
});
afterAll(() => {
  vgg.dispose();
  x.dispose();
});

test('every conv/relu/pool output has the right shape, pools halve, ReLUs are non-negative', async () => {
  const before = tf.memory().numTensors;
  const out = vgg.features(x, VGG19_LAYERS);
  const channels = { 1: 64, 2: 128, 3: 256 } as Record<string, number>;
  for (const name of VGG19_LAYERS) {
    const block = Number(/(\d)/.exec(name)![1]);
    const scale = name.startsWith('pool') ? 2 ** block : 2 ** (block - 1);
    expect([name, out[name].shape]).toEqual([name, [1, 32 / scale, 40 / scale, channels[block]]]);
    if (name.startsWith('relu') || name.startsWith('pool')) expect(minOf(out[name])).toBeGreaterThanOrEqual(0);
  }
  // Pre-activation convs do go negative: proof they are not the ReLU outputs.
  expect(minOf(out.conv3_4)).toBeLessThan(0);
  tf.dispose(Object.values(out));
  expect(tf.memory().numTensors).toBe(before);
});

test('Keras names are aliases of the Keras layer outputs (post-ReLU)', () => {
  const out = vgg.features(x, ['block2_conv2', 'relu2_2', 'block1_pool', 'pool1']);
  expect(tf.max(tf.abs(tf.sub(out.block2_conv2, out.relu2_2))).dataSync()[0]).toBe(0);
  expect(tf.max(tf.abs(tf.sub(out.block1_pool, out.pool1))).dataSync()[0]).toBe(0);
  tf.dispose(Object.values(out));
});

test('gradient of a relu3_1 feature w.r.t. the input is finite and non-zero', () => {
  const grad = tf.grad((input: tf.Tensor) => tf.mean(vgg.features(input as tf.Tensor4D, ['relu3_1']).relu3_1))(x);
  const values = grad.dataSync();
  expect(values.every(Number.isFinite)).toBe(true);
  expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeGreaterThan(0);
  grad.dispose();
});

test('float16 storage stays close to the float32 original (relu3_4 relative error)', () => {
  const modelJson = readFileSync(path.join(MIRROR, 'vgg19', 'model.json'));
  const original = readLayersWeights(
    parseLayersModel(modelJson),
    (p) => readFileSync(path.join(MIRROR, 'vgg19', p)),
    (name) => /^block[123]_/.test(name),
  );
  const exact = createVgg19(Object.fromEntries(original.map((t) => [t.name, tf.tensor(t.values, t.shape)])));
  const a = exact.features(x, ['relu3_4']).relu3_4;
  const b = vgg.features(x, ['relu3_4']).relu3_4;
  const relative = tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(a).dataSync()[0];
  console.log(`vgg19 float16 vs float32, relu3_4 relative L2 error: ${relative.toExponential(2)}`);
  expect(relative).toBeLessThan(5e-3);
  tf.dispose([a, b]);
  exact.dispose();
});

/** VGG19 to relu3_1 written with separate TF.js ops (caffePreprocess, conv2d + add + relu, max pool): the reference
 *  for the fused layers and the preprocess folded into a 1x1 convolution. */
function separateOpsRelu3_1(weights: (name: string) => tf.Tensor, input: tf.Tensor4D): tf.Tensor4D {
  let h = caffePreprocess(input);
  const conv = (b: number, i: number) => {
    h = tf.relu(tf.add(tf.conv2d(h, weights(`block${b}_conv${i}/kernel`) as tf.Tensor4D, 1, 'same'), weights(`block${b}_conv${i}/bias`))) as tf.Tensor4D;
  };
  conv(1, 1);
  conv(1, 2);
  h = tf.maxPool(h, 2, 2, 'valid');
  conv(2, 1);
  conv(2, 2);
  h = tf.maxPool(h, 2, 2, 'valid');
  conv(3, 1);
  return h;
}

describe.each(['cpu', 'wasm'])('fused layers on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') await useWasmBackend();
    else await tf.setBackend('cpu');
    useFastGradients();
  });
  afterAll(() => tf.setBackend('cpu'));

  test('give the separate ops’ relu3_1 and input gradient (the preprocess as a 1x1 convolution)', async () => {
    const weights = decodeConvertedWeights(await createFileWeightStore(path.join(ROOT, '.cache', 'models')).load('vgg19'));
    const objective = (f: (input: tf.Tensor4D) => tf.Tensor4D) => (input: tf.Tensor) => tf.mean(tf.square(f(input as tf.Tensor4D))) as tf.Scalar;
    const relative = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(b).dataSync()[0]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const fused = (input: tf.Tensor4D) => vgg.features(input, ['relu3_1']).relu3_1;
      const separate = (input: tf.Tensor4D) => separateOpsRelu3_1((name) => weights[name], input);
      // One rounding instead of two in the preprocess, bias added inside the convolution: float32 noise only.
      expect(relative(fused(x), separate(x))).toBeLessThan(1e-5);
      expect(relative(tf.grad(objective(fused))(x), tf.grad(objective(separate))(x))).toBeLessThan(1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(weights));
  });
});
