// The style metric itself: zero against itself, large between a photo and a painting, and the chroma helper.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { readAsset } from '../support/assets';
import { contentDistance, loadVgg19OnWasm, styleDistance, ycbcrChromaDelta } from '../support/style-quality';

const chelsea = readAsset('content', 'chelsea');
const starry = readAsset('styles', 'starry_night');

let vgg: Vgg19;
beforeAll(async () => {
  vgg = await loadVgg19OnWasm();
}, 60_000);

test('style distance is 0 to itself and large between a photo and a painting', async () => {
  const before = tf.memory().numTensors;
  expect(await styleDistance(vgg, chelsea, chelsea)).toBeLessThan(1e-6);
  const photoToPainting = await styleDistance(vgg, chelsea, starry);
  expect(photoToPainting).toBeGreaterThan(0.1);
  expect(tf.memory().numTensors).toBe(before);
}, 60_000);

test('content distance is 0 to itself and larger for another image', async () => {
  expect(await contentDistance(vgg, chelsea, chelsea)).toBeLessThan(1e-6);
  expect(await contentDistance(vgg, starry, chelsea)).toBeGreaterThan(0.3);
}, 60_000);

test('chroma delta is 0 to itself and sees a grayscale copy', async () => {
  expect(await ycbcrChromaDelta(chelsea, chelsea)).toEqual({ cb: 0, cr: 0 });
  const gray = tf.tidy(() => {
    const rgb = tf.tensor3d(Float32Array.from(chelsea.data), [chelsea.height, chelsea.width, 4]).slice([0, 0, 0], [-1, -1, 3]).div(255);
    return rgb.mean(2, true).tile([1, 1, 3]).expandDims(0) as tf.Tensor4D;
  });
  const delta = await ycbcrChromaDelta(gray, chelsea);
  gray.dispose();
  expect(delta.cb + delta.cr).toBeGreaterThan(5);
}, 60_000);
