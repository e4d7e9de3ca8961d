// The fast path's contract with the real networks on the tfjs CPU backend, on a small image forced through the
// multi-tile code (tiny tiles): alpha carried through, params.size honoured, progress per tile, cancellation
// between tiles, clear errors, and no tensor left behind.
import * as tf from '@tensorflow/tfjs';
import { defaultParams } from '../../techniques/registry';
import type { StyleParams } from '../../techniques/style/spec';
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import type { JobContext, JobProgress } from '../../techniques/job';
import { createFastStyleTransfer } from '../../techniques/style/fast';
import { planTiles, type TilingOptions } from '../../techniques/style/tiling';

import { readAsset, testContext, testNetworks } from '../support/assets';

const starry = readAsset('styles', 'starry_night');
const assets = { image: async () => starry };
const TINY_TILES: TilingOptions = { tileSize: 48, overlap: 16, margin: 4 };
const fast = createFastStyleTransfer({ tiling: TINY_TILES });
const params: StyleParams = defaultParams('style');

/** 96x64 gradient whose left third is fully transparent and whose alpha varies elsewhere. */
function testImage(): RgbaImage {
  const data = new Uint8ClampedArray(96 * 64 * 4);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 96; x++) data.set([x * 2, y * 3, 128, x < 32 ? 0 : (x * 7 + y) % 256], (y * 96 + x) * 4);
  return createRgbaImage(96, 64, data);
}
const alphaOf = (image: RgbaImage) => image.data.filter((_, i) => i % 4 === 3);

function context(signal = new AbortController().signal) {
  const progress: JobProgress[] = [];
  const job: JobContext = testContext({ signal, onProgress: (p: JobProgress) => void progress.push(p), assets });
  return { progress, context: job };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await Promise.all([testNetworks().get('magenta_predictor'), testNetworks().get('magenta_transformer')]);
}, 60_000);

test('carries alpha through, reports progress per tile and leaks nothing over two runs', async () => {
  const source = testImage();
  const before = tf.memory().numTensors;
  const first = context();
  const out = await fast({ source }, params, first.context);
  expect(tf.memory().numTensors).toBe(before);
  const second = await fast({ source }, params, context().context);
  expect(tf.memory().numTensors).toBe(before);

  expect([out.width, out.height]).toEqual([96, 64]);
  expect(alphaOf(out)).toEqual(alphaOf(source));
  expect(second.data).toEqual(out.data); // deterministic
  const tiles = planTiles(96, 64, TINY_TILES).length;
  expect(tiles).toBeGreaterThan(1);
  expect(first.progress.filter((p) => /^tile \d+ of \d+$/.test(p.message ?? ''))).toHaveLength(tiles);
  expect(first.progress[first.progress.length - 1].fraction).toBe(1);
  // It did stylize: the output is not the input.
  let change = 0;
  for (let i = 0; i < out.data.length; i += 4) change += Math.abs(out.data[i] - source.data[i]);
  expect(change / (96 * 64)).toBeGreaterThan(10);
}, 120_000);

test('params.size sets the longest side; alpha is resampled with the image', async () => {
  const out = await fast({ source: testImage() }, { ...params, size: 48 }, context().context);
  expect([out.width, out.height]).toEqual([48, 32]);
  const alpha = alphaOf(out);
  expect(Math.max(...alpha.subarray(0, 14))).toBe(0); // the transparent left third stays transparent
}, 120_000);

test('style scale paints at another size and gives the result size with the source alpha', async () => {
  const source = testImage();
  for (const styleScale of [0.5, 2]) {
    const out = await fast({ source }, { ...params, styleScale }, context().context);
    expect([out.width, out.height]).toEqual([96, 64]);
    expect(alphaOf(out)).toEqual(alphaOf(source));
  }
}, 120_000);

test('cancels between tiles without leaking', async () => {
  const controller = new AbortController();
  const before = tf.memory().numTensors;
  const ctx = testContext({ signal: controller.signal, assets, onProgress: (p: JobProgress) => void (p.message === 'tile 1 of 6' && controller.abort()) });
  await expect(fast({ source: testImage() }, params, ctx)).rejects.toMatchObject({ code: 'cancelled' });
  expect(tf.memory().numTensors).toBe(before);
}, 120_000);

test("a 'layer' style without a reference image is a clear bad-input error", async () => {
  await expect(fast({ source: testImage() }, { ...params, styles: [{ source: 'layer', weight: 1 }] }, context().context)).rejects.toMatchObject({
    code: 'bad-input',
  });
});
