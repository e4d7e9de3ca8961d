// The Channel sheet technique with the real MobileNetV2: the strongest channels of a layer, strongest first, each a
// small dream of the image, named in the result's facts in that order.
import * as tf from '@tensorflow/tfjs';
import { rankChannels } from '../../techniques/dream/channel-sheet';
import { dreamNetwork } from '../../techniques/dream/network';
import { runTechnique } from '../../techniques/run-technique';
import { readAsset, testContext, testNetworks, useWasmBackend } from '../support/assets';

jest.setTimeout(120_000);

const chelsea = readAsset('content', 'chelsea');

beforeAll(async () => {
  await useWasmBackend();
  await testNetworks().get('mobilenet_v2');
});

test('four channels: a 2x2 sheet of 64 px dreams, channels listed strongest first, nothing left over', async () => {
  const before = tf.memory().numTensors;
  const sheet = await runTechnique('channels', { source: chelsea }, { layer: 'Patterns', count: 4 }, testContext());
  expect(tf.memory().numTensors).toBe(before);
  // Thumbnails keep the image's proportions (64 px on the long side), 4 px apart and around.
  const thumbHeight = Math.round((64 * chelsea.height) / chelsea.width);
  expect([sheet.width, sheet.height]).toEqual([4 + 2 * (64 + 4), 4 + 2 * (thumbHeight + 4)]);
  const ranked = await rankChannels(dreamNetwork(await testNetworks().get('mobilenet_v2')), chelsea, 'block_6');
  expect(sheet.facts?.detail).toBe(`channels ${ranked.slice(0, 4).map((r) => r.channel).join(', ')}`);
  expect(ranked[0].meanActivation).toBeGreaterThanOrEqual(ranked[3].meanActivation);
});
