// Darknet Tiny from the converted cache: ImageNet classes in the right order (checked on real photos), block
// shapes, gradients and no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { DarknetExtras } from '../../models/networks/darknet-spec';
import { type DarknetTiny, createDarknetTiny } from '../../models/networks/darknet-tiny';
import { shortLabel } from '../../models/networks/labels';
import { runSetup } from '../../models/setup/run-setup';
import { decodeConvertedWeights } from '../../models/weights/decode';
import { createFileWeightStore } from '../../models/weights/file-store';

const ROOT = path.resolve(__dirname, '..', '..');
import { readAsset } from '../support/assets';
import { classify } from '../../techniques/classify';
import { NO_NETWORKS } from '../../techniques/job';

let net: DarknetTiny;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await runSetup({ projectRoot: ROOT, networks: ['darknet_tiny'], images: false });
  const weights = await createFileWeightStore(path.join(ROOT, '.cache', 'models')).load('darknet_tiny');
  net = createDarknetTiny(decodeConvertedWeights(weights), weights.manifest.extras as unknown as DarknetExtras);
});
afterAll(() => net.dispose());

test.each([
  ['chelsea.png', ['Egyptian cat', 'tabby']],
  ['coffee.png', ['espresso']],
])('%s is classified as %s at 224', async (file, expected) => {
  const image = readAsset('content', file.replace('.png', ''));
  const before = tf.memory().numTensors;
  const t0 = Date.now();
  const top = await classify(image, { ...NO_NETWORKS, get: async () => net as never }, 'darknet_tiny', 3);
  console.log(`darknet_tiny ${file}: ${top.map((t) => `${shortLabel(t.label)} ${t.probability.toFixed(3)}`).join(', ')} (${Date.now() - t0} ms)`);
  expect(expected).toContain(shortLabel(top[0].label));
  expect(tf.memory().numTensors).toBe(before);
});

test('has 1000 labels and every block output with the expected shape', () => {
  expect(net.labels).toHaveLength(1000);
  expect(net.layers).toEqual([
    'conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'conv6', 'pool3',
    'conv7', 'conv8', 'conv9', 'conv10', 'pool4', 'conv11', 'conv12', 'conv13', 'conv14', 'conv15', 'conv16',
  ]);
  const x = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
  const out = net.features(x, ['conv1', 'pool2', 'conv10', 'conv16']);
  expect(out.conv1.shape).toEqual([1, 64, 64, 16]);
  expect(out.pool2.shape).toEqual([1, 16, 16, 32]);
  expect(out.conv10.shape).toEqual([1, 8, 8, 256]);
  expect(out.conv16.shape).toEqual([1, 4, 4, 1000]);
  const logits = net.logits(x);
  expect(logits.shape).toEqual([1, 1000]);
  tf.dispose([x, logits, ...Object.values(out)]);
});

test('gradient of a class score and of a block output w.r.t. the input is finite and non-zero', () => {
  const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const espresso = net.labels.findIndex((l) => shortLabel(l) === 'espresso');
  for (const objective of [
    (input: tf.Tensor) => tf.squeeze(tf.slice(net.logits(input as tf.Tensor4D), [0, espresso], [1, 1])),
    (input: tf.Tensor) => tf.mean(tf.square(net.features(input as tf.Tensor4D, ['conv8']).conv8)),
  ]) {
    const grad = tf.grad(objective)(x);
    expect(grad.dataSync().every(Number.isFinite)).toBe(true);
    expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeGreaterThan(0);
    grad.dispose();
  }
  x.dispose();
});
