// Tiling quality of the fast path with the real networks: tiles sharing one set of norm statistics and blended
// in their overlaps must be indistinguishable from one pass, and a 2048 px result must show no seams.
// Runs on the tfjs WASM backend: this is a test of the tiling, not of the backend, and the transformer at 2048 px
// takes ~20 s on WASM against several minutes on the JS CPU backend (as the shared toolchain notes measure).
import * as tf from '@tensorflow/tfjs';
import type { StyleTransformer } from '../../models/networks/magenta';
import { disposeNormStats } from '../../models/networks/magenta';
import { defaultParams } from '../../techniques/registry';
import type { RgbaImage } from '../../techniques/image';
import { imageBottleneck } from '../../techniques/style/bottleneck';
import { fastStyleTransfer } from '../../techniques/style/fast';
import { resampleToPlanes, type RgbAlphaPlanes } from '../../techniques/style/fast-resample';
import { globalNormStats, stylizePlanes } from '../../techniques/style/fast-stylize';
import { DEFAULT_TILING, planAxis, type TilingOptions } from '../../techniques/style/tiling';
import { loadVgg19OnWasm } from '../support/style-quality';
import { readAsset, testContext, testNetworks } from '../support/assets';

const chelsea = readAsset('content', 'chelsea');
const starry = readAsset('styles', 'starry_night');

let transformer: StyleTransformer;
let bottleneck: tf.Tensor4D;
beforeAll(async () => {
  await loadVgg19OnWasm(); // switches to WASM
  transformer = await testNetworks().get('magenta_transformer');
  bottleneck = imageBottleneck(await testNetworks().get('magenta_predictor'), starry);
}, 120_000);
afterAll(() => bottleneck?.dispose());

/** Mean |step| between neighbouring pixels (0..255, RGB), over all pairs and over the pairs straddling `columns`/`rows`. */
function steps(rgb: ArrayLike<number>, width: number, height: number, channels: number, columns: number[], rows: number[]) {
  const at = (x: number, y: number, c: number) => rgb[(y * width + x) * channels + c];
  let all = 0;
  let allCount = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        if (x > 0) (all += Math.abs(at(x, y, c) - at(x - 1, y, c))), allCount++;
        if (y > 0) (all += Math.abs(at(x, y, c) - at(x, y - 1, c))), allCount++;
      }
  let border = 0;
  let borderCount = 0;
  for (const x of columns) for (let y = 0; y < height; y++) for (let c = 0; c < 3; c++) (border += Math.abs(at(x, y, c) - at(x - 1, y, c))), borderCount++;
  for (const y of rows) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) (border += Math.abs(at(x, y, c) - at(x, y - 1, c))), borderCount++;
  return { all: all / allCount, border: border / borderCount, ratio: border / borderCount / (all / allCount) };
}

/** Where a seam would show: each overlap's ends, the ends of its zero-weight margins and its middle. */
function seamLines(size: number, tiling: TilingOptions): number[] {
  const spans = planAxis(size, tiling);
  return spans.slice(1).flatMap((span) => {
    const start = span.start;
    const end = start + tiling.overlap;
    return [start, start + tiling.margin, Math.round((start + end) / 2), end - tiling.margin, end];
  });
}

test('tiles with shared statistics match one untiled pass; naive tiles would not', async () => {
  const before = tf.memory().numTensors;
  const planes = resampleToPlanes(chelsea, 384, 256);
  const small: TilingOptions = { tileSize: 160, overlap: 48, margin: 12 };
  const stats = globalNormStats(transformer, planes, bottleneck, 512); // 384 px <= 512: the untiled pass's own statistics
  const untiled = await stylizePlanes(transformer, planes, bottleneck, { normStats: stats });
  const tiled = await stylizePlanes(transformer, planes, bottleneck, { normStats: stats, tiling: small });
  disposeNormStats(stats);
  let diff = 0;
  let worst = 0;
  for (let i = 0; i < untiled.length; i++) {
    const d = Math.abs(untiled[i] - tiled[i]) * 255;
    diff += d;
    worst = Math.max(worst, d);
  }
  diff /= untiled.length;

  // The same tile grid without overlap, each tile with its own statistics: the seams the design avoids.
  const naive = await naiveTiles(planes, small.tileSize - small.overlap);
  const columns = seamLines(384, small);
  const rows = seamLines(256, small);
  const tiledSteps = steps(tiled, 384, 256, 3, columns, rows);
  const naiveSteps = steps(naive, 384, 256, 3, [112, 224, 336], [112, 224]);
  console.log(`tiled vs untiled: mean |diff| ${diff.toFixed(3)}/255, max ${worst.toFixed(1)}/255; seam ratio tiled ${tiledSteps.ratio.toFixed(3)}, naive ${naiveSteps.ratio.toFixed(3)}`);
  expect(diff).toBeLessThan(1);
  expect(tiledSteps.ratio).toBeLessThan(1.2);
  expect(naiveSteps.ratio).toBeGreaterThan(1.2); // the metric does see seams
  expect(tf.memory().numTensors).toBe(before);
}, 120_000);

async function naiveTiles(planes: RgbAlphaPlanes, side: number): Promise<Float32Array> {
  const out = new Float32Array(planes.width * planes.height * 3);
  for (let y = 0; y < planes.height; y += side)
    for (let x = 0; x < planes.width; x += side) {
      const w = Math.min(side, planes.width - x);
      const h = Math.min(side, planes.height - y);
      const input = new Float32Array(w * h * 3);
      for (let j = 0; j < h; j++) for (let k = 0; k < w * 3; k++) input[j * w * 3 + k] = planes.rgb[((y + j) * planes.width + x) * 3 + k] / 255;
      const result = tf.tidy(() => transformer.transform(tf.tensor4d(input, [1, h, w, 3]), bottleneck));
      const data = await result.data();
      result.dispose();
      for (let j = 0; j < h; j++) out.set(data.subarray(j * w * 3, (j + 1) * w * 3), ((y + j) * planes.width + x) * 3);
    }
  return out;
}

test('a 2048 px result has no seams', async () => {
  const started = Date.now();
  const before = tf.memory().numTensors;
  const out: RgbaImage = await fastStyleTransfer({ source: chelsea }, { ...defaultParams('style'), size: 2048 }, testContext());
  expect([out.width, out.height]).toEqual([2048, 1362]);
  const s = steps(out.data, out.width, out.height, 4, seamLines(out.width, DEFAULT_TILING), seamLines(out.height, DEFAULT_TILING));
  console.log(`2048x1362: mean step ${s.all.toFixed(2)}, at tile borders ${s.border.toFixed(2)}, ratio ${s.ratio.toFixed(3)}; ${Date.now() - started} ms`);
  expect(s.ratio).toBeLessThan(1.2);
  expect(tf.memory().numTensors).toBe(before);
}, 180_000);
