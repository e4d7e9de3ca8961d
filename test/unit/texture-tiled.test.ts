// The large-output path of the neural method: the loss's gradient assembled from overlapping tiles (one tile's
// activations at a time) equals the whole-image gradient, and an output refined on tiles shows no seam along the
// tile lines. Small images with small tiles, so that both the tiled and the untiled computation fit and run fast.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { FEATURE_MARGIN, axisFeatureRange, ownedFeatures, planFeatureTiles, planSpans } from '../../techniques/optimize/feature-tiles';
import { synthesizeNeuralTexture } from '../../techniques/texture/neural';
import { meanColouredNoise } from '../../techniques/texture/noise';
import { toRgbFloat } from '../../techniques/texture/pixels';
import { axisResample, resample, resampleAdjoint } from '../../techniques/texture/resample';
import { createTextureObjective } from '../../techniques/texture/texture-objective';
import { seededRandom } from '../../techniques/random';
import { gramDistance, halvesFloor, lineStep, loadVgg19, textureSample, wrapStep } from '../support/texture-quality';

let vgg: Vgg19;
beforeAll(async () => {
  vgg = await loadVgg19();
}, 60_000);
afterAll(() => vgg?.dispose());

test('tiles own disjoint feature blocks that cover the whole image at every pool level', () => {
  for (const [width, height, tileSide] of [[100, 84, 32], [257, 130, 64], [64, 64, 64], [37, 45, 16]]) {
    for (const periodic of [true, false]) {
      const tiles = planFeatureTiles(width, height, tileSide, periodic);
      for (const tile of tiles) {
        expect(tile.x.inLength).toBeLessThanOrEqual(tileSide + 2 * FEATURE_MARGIN + 4);
        expect(tile.x.start % 4).toBe(0);
      }
      for (let level = 0; level < 3; level++) {
        const rx = axisFeatureRange(width, level, !periodic);
        const ry = axisFeatureRange(height, level, !periodic);
        const owned = tiles.reduce((sum, t) => sum + ownedFeatures(t.x, width, level, !periodic).count * ownedFeatures(t.y, height, level, !periodic).count, 0);
        expect(owned).toBe((rx.end - rx.start) * (ry.end - ry.start));
      }
    }
  }
});

test('the resampler and its adjoint are transposes (<Ax, y> = <x, Aᵀy>), periodic or not', () => {
  const random = seededRandom(3);
  for (const [from, to] of [[37, 18], [40, 20], [20, 41], [16, 16]]) {
    for (const periodic of [true, false]) {
      const ax = axisResample(from, to, periodic);
      const ay = axisResample(from + 3, to + 1, periodic);
      const x = Float32Array.from({ length: from * (from + 3) * 3 }, () => random());
      const y = Float32Array.from({ length: to * (to + 1) * 3 }, () => random());
      const ax_ = resample(x, 3, ax, ay);
      const aty = resampleAdjoint(y, 3, ax, ay);
      const left = ax_.reduce((s, v, i) => s + v * y[i], 0);
      const right = x.reduce((s, v, i) => s + v * aty[i], 0);
      expect(Math.abs(left - right) / Math.abs(left)).toBeLessThan(1e-5);
    }
  }
});

test('the tiled gradient of the Gram loss equals the untiled one (relative error ≤ 1e-3)', async () => {
  const sample = toRgbFloat(textureSample('gravel', 128));
  const width = 100;
  const height = 84;
  const x = meanColouredNoise(sample.rgb, width, height, seededRandom(5));
  const before = tf.memory().numTensors;
  for (const periodic of [true, false]) {
    const options = { width, height, periodic, levels: 2, loss: 'gram' as const };
    const whole = await createTextureObjective(vgg, sample, options);
    const tiled = await createTextureObjective(vgg, sample, { ...options, tileSide: 32 });
    try {
      let started = Date.now();
      const a = await whole.evaluate(x);
      const wholeMs = Date.now() - started;
      started = Date.now();
      const b = await tiled.evaluate(x);
      const tiledMs = Date.now() - started;
      let difference = 0;
      let norm = 0;
      for (let i = 0; i < a.gradient.length; i++) {
        difference += (a.gradient[i] - b.gradient[i]) ** 2;
        norm += a.gradient[i] ** 2;
      }
      const error = Math.sqrt(difference / norm);
      console.log(`tiled gradient (${periodic ? 'periodic' : 'bounded'}, ${width}x${height}, 2 levels, ${whole.tiles} vs ${tiled.tiles} tiles): loss ${a.value.toExponential(6)} vs ${b.value.toExponential(6)}, gradient relative error ${error.toExponential(2)} (${wholeMs} ms untiled, ${tiledMs} ms tiled)`);
      expect(whole.tiles).toBe(1);
      expect(tiled.tiles).toBe(12);
      expect(error).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(a.value - b.value) / a.value).toBeLessThanOrEqual(1e-4);
    } finally {
      whole.dispose();
      tiled.dispose();
    }
  }
  expect(tf.memory().numTensors).toBe(before);
}, 60_000);

test('an output refined on tiles (coarse stage, then 3x3 tiles) shows no seam along the tile lines nor around', async () => {
  const sample = textureSample('gravel', 128);
  const size = 192;
  const tileSide = 64;
  const before = tf.memory().numTensors;
  const started = Date.now();
  const result = await synthesizeNeuralTexture(vgg, sample, { width: size, height: size, steps: 10, seed: 3, seamless: true, tileSide, coarsestSide: 96, earlyStop: null }, {
    signal: new AbortController().signal,
    onProgress: () => undefined,
  });
  const seconds = (Date.now() - started) / 1000;
  expect(tf.memory().numTensors).toBe(before);
  const lines = planSpans(size, tileSide, true)
    .slice(1)
    .map((s) => s.start);
  const seams = lineStep(result.image, lines, lines);
  const wrap = wrapStep(result.image);
  const distance = await gramDistance(vgg, result.image, sample);
  const floor = await halvesFloor(vgg, sample);
  console.log(
    `refined on tiles: ${size} px in ${seconds.toFixed(1)} s, stages ${result.stages.map((s) => `${s.width} px ${s.stepsRun}/${s.steps} steps ${s.tiles} tile(s)`).join(', ')}; ` +
      `step across tile lines ${lines} / elsewhere ${seams.ratio.toFixed(3)}, wrap-around ${wrap.ratio.toFixed(3)}; Gram distance ${distance.toFixed(4)} (halves floor ${floor.mean.toFixed(4)})`,
  );
  expect(result.stages.map((s) => [s.width, s.tiles])).toEqual([
    [96, 4],
    [192, 9],
  ]);
  expect(result.stepsRun).toBe(20);
  expect(seams.ratio).toBeLessThanOrEqual(1.2);
  expect(wrap.ratio).toBeLessThanOrEqual(1.2);
  expect(distance).toBeLessThanOrEqual(3 * floor.mean);
}, 180_000);
