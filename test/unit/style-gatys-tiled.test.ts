// The Gatys objective on tiles (issue #13 point 6): its loss and gradient equal those of the loss's definition
// computed untiled by TF.js autodiff (the pyramid's bilinear halving, Gram matrices, relu3_2 content, TV), its peak
// memory is one tile's, and a staged job on tiles leaves no tensor behind. Small images (≤ 128 px) with small
// tiles, on the WASM backend as the other Gatys tests.
//
// TF.js's own gradient of tf.image.resizeBilinear ignores halfPixelCenters (its ResizeBilinearGrad kernel takes
// alignCorners only): measured here, 95% relative error against the true adjoint. So the untiled reference halves
// with matrices (Ry·X·Rxᵀ, the matrices read off TF.js's forward resize of an identity), whose autodiff is exact.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { defaultParams } from '../../techniques/registry';
import { seededRandom } from '../../techniques/random';
import { useFastConvInputGradient } from '../../techniques/optimize/conv-input-gradient';
import { runGatys, STYLE_WEIGHT_UNIT, TV_WEIGHT_UNIT } from '../../techniques/style/gatys';
import { createGatysObjective } from '../../techniques/style/gatys-objective';
import { gramMatrix } from '../../techniques/style/gram';
import { relativeSquaredError, totalVariation } from '../../techniques/style/losses';
import { resizeBilinear, resizeBilinearAdjoint } from '../../techniques/style/pyramid';
import type { StyleParams } from '../../techniques/style/spec';
import type { RgbFloatImage } from '../../techniques/texture/pixels';
import { readAsset, testContext } from '../support/assets';
import { loadVgg19OnWasm } from '../support/style-quality';

const STYLE_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1'] as const;
const WEIGHTS = { contentWeight: 1, styleWeight: 1e3 * STYLE_WEIGHT_UNIT, tvWeight: 1e-3 * TV_WEIGHT_UNIT };

let vgg: Vgg19;
beforeAll(async () => {
  vgg = await loadVgg19OnWasm();
  useFastConvInputGradient();
}, 60_000);

/** A bundled image at width x height (TF.js bilinear), as the objective's flat RGB. */
function asset(kind: 'content' | 'styles', name: string, width: number, height: number): RgbFloatImage {
  const image = readAsset(kind, name);
  const rgb = tf.tidy(() => {
    const rgba = tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 4]);
    return tf.image.resizeBilinear(tf.div(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), 255) as tf.Tensor3D, [height, width], false, true);
  });
  const out = { width, height, rgb: rgb.dataSync() as Float32Array };
  rgb.dispose();
  return out;
}

const tensorOf = (image: RgbFloatImage) => tf.tensor4d(image.rgb, [1, image.height, image.width, 3]);

/** The resize of one axis, n -> m, as an [m, n] matrix: TF.js's forward resize of the identity. */
function resizeMatrix(n: number, m: number): tf.Tensor2D {
  return tf.tidy(() => tf.reshape(tf.image.resizeBilinear(tf.reshape(tf.eye(n), [1, n, n, 1]) as tf.Tensor4D, [m, n], false, true), [m, n]) as tf.Tensor2D);
}

/** tf.image.resizeBilinear(x, half size) as Ry·X·Rxᵀ per channel: the same values, with an exact gradient. */
function halve(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  const oh = Math.max(1, Math.round(h / 2));
  const ow = Math.max(1, Math.round(w / 2));
  const channels = tf.transpose(tf.reshape(x, [h, w, 3]), [2, 0, 1]) as tf.Tensor3D; // [3, h, w]
  const rows = tf.matMul(tf.tile(tf.expandDims(resizeMatrix(h, oh), 0), [3, 1, 1]) as tf.Tensor3D, channels); // [3, oh, w]
  const both = tf.matMul(rows, tf.tile(tf.expandDims(resizeMatrix(w, ow), 0), [3, 1, 1]) as tf.Tensor3D, false, true); // [3, oh, ow]
  return tf.reshape(tf.transpose(both, [1, 2, 0]), [1, oh, ow, 3]);
}

/** The loss as defined, on the whole image, differentiated by TF.js: the reference the tiles must equal. */
function untiledLoss(content: RgbFloatImage, style: RgbFloatImage, levels: number): (x: tf.Tensor4D) => tf.Scalar {
  const pyramid = (x: tf.Tensor4D) => {
    const out = [x];
    for (let level = 1; level < levels; level++) out.push(halve(out[level - 1]));
    return out;
  };
  return (x) =>
    tf.tidy(() => {
      const contentTarget = vgg.features(tensorOf(content), ['relu3_2']).relu3_2;
      const styleTargets = pyramid(tensorOf(style)).map((image) => {
        const features = vgg.features(image, STYLE_LAYERS);
        return STYLE_LAYERS.map((layer) => gramMatrix(features[layer]));
      });
      const styleTerms = pyramid(x).map((image, level) => {
        const features = vgg.features(image, STYLE_LAYERS);
        return tf.div(tf.addN(STYLE_LAYERS.map((layer, i) => relativeSquaredError(gramMatrix(features[layer]), styleTargets[level][i]))), STYLE_LAYERS.length);
      });
      return tf.addN([
        tf.mul(relativeSquaredError(vgg.features(x, ['relu3_2']).relu3_2, contentTarget), WEIGHTS.contentWeight),
        tf.mul(tf.div(tf.addN(styleTerms), levels), WEIGHTS.styleWeight),
        tf.mul(totalVariation(x), WEIGHTS.tvWeight),
      ]) as tf.Scalar;
    });
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - b[i]) ** 2;
    norm += a[i] ** 2;
  }
  return Math.sqrt(difference / norm);
}

test('the bilinear resize matches TF.js (half-pixel centres), odd sizes too, and its adjoint is its transpose', () => {
  const random = seededRandom(2);
  for (const [w, h, ow, oh] of [[51, 43, 26, 22], [64, 48, 32, 24], [20, 9, 41, 17]]) {
    const x = Float32Array.from({ length: w * h * 3 }, () => random());
    const y = Float32Array.from({ length: ow * oh * 3 }, () => random() - 0.5);
    const expected = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(x, [1, h, w, 3]), [oh, ow], false, true).dataSync() as Float32Array);
    const resized = resizeBilinear(x, w, h, ow, oh);
    expect(relativeError(expected, resized)).toBeLessThan(1e-6);
    // <Ax, y> = <x, Aᵀy>
    const left = resized.reduce((sum, v, i) => sum + v * y[i], 0);
    const right = resizeBilinearAdjoint(y, w, h, ow, oh).reduce((sum, v, i) => sum + v * x[i], 0);
    expect(Math.abs(left - right) / Math.abs(left)).toBeLessThan(1e-5);
  }
});

test('the tiled loss and gradient equal the untiled ones (relative error ≤ 1e-3), and one tile needs far less memory', async () => {
  // 102 x 86 (level 1: 51 x 43, odd): tiles of 32 px own 4 x 3 blocks at level 0 and 2 x 2 at level 1.
  const width = 102;
  const height = 86;
  const levels = 2;
  const content = asset('content', 'chelsea', width, height);
  const style = asset('styles', 'starry_night', 90, 70);
  const random = seededRandom(4);
  const x = content.rgb.map((v) => Math.min(1, Math.max(0, v + 0.2 * (random() - 0.5))));
  const before = tf.memory().numTensors;

  const reference = tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad(untiledLoss(content, style, levels))(tf.tensor4d(x, [1, height, width, 3]));
    return { value: value.dataSync()[0], gradient: grad.dataSync() as Float32Array };
  });
  const peaks: number[] = [];
  for (const tileSide of [256, 32]) {
    const objective = await createGatysObjective(vgg, content, [{ image: style, weight: 1 }], { ...WEIGHTS, levels, tileSide });
    try {
      const baseline = tf.memory().numBytes;
      const profile = await tf.profile(async () => void (await objective.evaluate(x)));
      const started = Date.now();
      const result = await objective.evaluate(x);
      const error = relativeError(reference.gradient, result.gradient);
      const peakMB = (profile.peakBytes - baseline) / 2 ** 20;
      console.log(`gatys objective ${width}x${height}, ${levels} levels, tile side ${tileSide} (${objective.tiles} tiles): loss ${result.value.toExponential(6)} vs untiled ${reference.value.toExponential(6)}, gradient relative error ${error.toExponential(2)}, peak ${peakMB.toFixed(1)} MB, ${Date.now() - started} ms`);
      expect(objective.tiles).toBe(tileSide === 32 ? 12 : 1);
      expect(Math.abs(result.value - reference.value) / reference.value).toBeLessThanOrEqual(1e-4);
      expect(error).toBeLessThanOrEqual(1e-3);
      peaks.push(peakMB);
    } finally {
      objective.dispose();
    }
  }
  // Measured: 84 MB in one piece, 30 MB on tiles whose input is at most 64 px a side (32 px owned + 2 margins).
  expect(peaks[1]).toBeLessThan(0.5 * peaks[0]);
  expect(tf.memory().numTensors).toBe(before);
}, 120_000);

function gatysParams(size: number, steps: number, overrides: Partial<StyleParams['gatys']> = {}): StyleParams {
  const defaults = defaultParams('style');
  return { ...defaults, method: 'gatys', styles: [{ source: 'layer', weight: 1 }], size, gatys: { ...defaults.gatys, steps, previewEvery: 1, ...overrides } };
}

test('a staged job on tiles returns every tensor after two runs (L-BFGS, then Adam from noise with colours kept)', async () => {
  const chelsea = readAsset('content', 'chelsea');
  const starry = readAsset('styles', 'starry_night');
  // 128 px on 32 px tiles, in two stages (64 px, then 128 px): the tiled objective, the stage change, previews.
  const options = { tileSide: 32, stages: { coarsestSide: 64, refineFraction: 0.5, minRefineSteps: 2 }, earlyStop: null };
  const messages: string[] = [];
  const context = testContext({ onProgress: (p) => void (p.message && messages.push(p.message)) });
  const before = tf.memory().numTensors;
  const first = await runGatys({ source: chelsea, reference: starry }, gatysParams(128, 3), context, options);
  const second = await runGatys({ source: chelsea, reference: starry }, { ...gatysParams(128, 3, { optimizer: 'adam', init: 'noise' }), preserveColors: true }, context, options);
  expect(tf.memory().numTensors).toBe(before);
  expect([first.width, first.height]).toEqual([128, 85]);
  expect([second.width, second.height]).toEqual([128, 85]);
  expect(first.facts?.stepsRun).toBe(5);
  expect(messages).toContain('stage 1 of 2 · step 3 of 3');
  expect(messages).toContain('stage 2 of 2 · step 2 of 2');
}, 180_000);
