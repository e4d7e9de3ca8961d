// A host's networks: each loaded once, shared, and its tensors freed on dispose.
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { createNetworks, type Networks } from '../../models/registry';
import { runSetup } from '../../models/setup/run-setup';
import { createFileWeightStore } from '../../models/weights/file-store';
import type { NetworkName } from '../../models/weights/format';
import { createInlineWeightStore } from '../../models/weights/inline-store';
import type { WeightStore } from '../../models/weights/store';

const ROOT = path.resolve(__dirname, '..', '..');
const fileStore = createFileWeightStore(path.join(ROOT, '.cache', 'models'));
const loads: NetworkName[] = [];
const countingStore: WeightStore = {
  load(name) {
    loads.push(name);
    return fileStore.load(name);
  },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  await runSetup({ projectRoot: ROOT, networks: ['vgg19', 'darknet_tiny'], images: false });
});
let networks: Networks;
beforeEach(async () => {
  await networks?.disposeAll();
  networks = createNetworks(countingStore);
  loads.length = 0;
});
afterAll(() => networks.disposeAll());

test('get returns one shared instance and loads its weights once, even when called concurrently', async () => {
  const [a, b] = await Promise.all([networks.get('vgg19'), networks.get('vgg19')]);
  const c = await networks.get('vgg19');
  expect(a).toBe(b);
  expect(a).toBe(c);
  expect(loads).toEqual(['vgg19']);
});

test('dispose frees every weight tensor and the next call loads again', async () => {
  const baseline = tf.memory().numTensors;
  const darknet = await networks.get('darknet_tiny');
  expect(tf.memory().numTensors).toBeGreaterThan(baseline);
  await networks.dispose('darknet_tiny');
  expect(tf.memory().numTensors).toBe(baseline);
  expect(networks.loaded()).toEqual([]);
  expect(await networks.get('darknet_tiny')).not.toBe(darknet);
  expect(loads).toEqual(['darknet_tiny', 'darknet_tiny']);
});

test('disposeAll frees everything', async () => {
  const baseline = tf.memory().numTensors;
  await Promise.all([networks.get('vgg19'), networks.get('darknet_tiny')]);
  await networks.disposeAll();
  expect(tf.memory().numTensors).toBe(baseline);
});

test('a failed load is reported and can be retried', async () => {
  const missing = createNetworks(createFileWeightStore(path.join(ROOT, 'no-such-cache')));
  await expect(missing.get('vgg19')).rejects.toThrow(/run `npm run models`/);
  expect(missing.loaded()).toEqual([]);
});

test('the inline (browser) store decodes base64 lazily, once per network', async () => {
  const weights = await fileStore.load('darknet_tiny');
  const base64 = Buffer.from(weights.data).toString('base64');
  let reads = 0;
  const entry = { manifest: weights.manifest, get base64() { reads++; return base64; } };
  const store = createInlineWeightStore({ darknet_tiny: entry });
  expect(reads).toBe(0);
  const first = await store.load('darknet_tiny');
  await store.load('darknet_tiny');
  expect(reads).toBe(1);
  expect(Buffer.compare(Buffer.from(first.data), Buffer.from(weights.data))).toBe(0); // toEqual is minutes on 4 MB
  await expect(store.load('vgg19')).rejects.toThrow(/not bundled/);
  const inline = createNetworks(store);
  const net = await inline.get('darknet_tiny');
  expect(net.labels).toHaveLength(1000);
  await inline.disposeAll();
});
