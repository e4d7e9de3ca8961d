// models/networks/depthwise-input-gradient.ts: the input gradient of a strided depthwise convolution as one SIMD
// gather pass on WASM equals TF.js's own gradient (CPU reference kernels), for the geometries the networks meet and
// the edges they don't (odd sizes, 'valid', pixels with no tap, a batch), and steps aside where it cannot run.
import * as tf from '@tensorflow/tfjs';
import { depthwiseInputGradient, fastDepthwiseInputGradientReady, type DepthwiseGradientGeometry } from '../../models/networks/depthwise-input-gradient';
import { simdTapGatherModule } from '../../models/networks/simd-tap-gather-module';
import { seededRandom } from '../../techniques/random';
import { useWasmBackend } from '../support/assets';

const values = (n: number, seed: number) => {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
};

interface Case {
  shape: [number, number, number, number];
  kernel: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
}

const CASES: Case[] = [
  { shape: [1, 16, 16, 96], kernel: [3, 3], strides: [2, 2], padding: 'same' }, // MobileNetV2's stride-2 blocks
  { shape: [2, 11, 10, 8], kernel: [3, 3], strides: [2, 2], padding: 'same' }, // a batch, odd height
  { shape: [1, 9, 12, 4], kernel: [3, 3], strides: [2, 2], padding: 'valid' },
  { shape: [1, 10, 9, 4], kernel: [3, 2], strides: [2, 3], padding: 'same' },
  { shape: [1, 9, 9, 12], kernel: [1, 1], strides: [2, 2], padding: 'same' }, // every other pixel has no tap
  { shape: [1, 12, 12, 4], kernel: [4, 4], strides: [2, 2], padding: 'same' }, // 4 taps everywhere
  { shape: [1, 13, 13, 4], kernel: [3, 3], strides: [3, 3], padding: 'valid' },
];

const name = (c: Case) => `[${c.shape}] k${c.kernel.join('x')} s${c.strides.join('x')} ${c.padding}`;
const geometryOf = (c: Case): DepthwiseGradientGeometry => ({ height: c.shape[1], width: c.shape[2], kernelSize: c.kernel, strides: c.strides, padding: c.padding });

/** ∂/∂x of Σ depthwise(x)·w: TF.js's own gradient on the current backend, and the forward output's shape. */
function tfjsGradient(c: Case, seed: number): { dy: Float32Array; dyShape: number[]; dx: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(tf.util.sizeFromShape(c.shape), seed), c.shape);
    const filter = tf.tensor4d(values(c.kernel[0] * c.kernel[1] * c.shape[3], seed + 1), [...c.kernel, c.shape[3], 1]);
    const y = tf.depthwiseConv2d(x, filter, c.strides, c.padding);
    const dy = tf.tensor(values(y.size, seed + 2), y.shape);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(input as tf.Tensor4D, filter, c.strides, c.padding), dy)))(x);
    return { dy: dy.dataSync() as Float32Array, dyShape: dy.shape, dx: dx.dataSync() as Float32Array };
  });
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

it('is a valid module for plain and shared memory (TF.js’s threaded WASM build imports a shared one)', () => {
  expect(WebAssembly.validate(simdTapGatherModule(false))).toBe(true);
  expect(WebAssembly.validate(simdTapGatherModule(true))).toBe(true);
});

it('equals TF.js’s depthwise input gradient on WASM, as one kernel, with no tensor left behind', async () => {
  await tf.setBackend('cpu');
  const references = CASES.map((c, i) => tfjsGradient(c, 10 * i));
  await useWasmBackend();
  const before = tf.memory().numTensors;
  for (const [i, c] of CASES.entries()) {
    const { dy, dyShape, dx } = references[i];
    const got = tf.tidy(() => {
      const filter = tf.tensor4d(values(c.kernel[0] * c.kernel[1] * c.shape[3], 10 * i + 1), [...c.kernel, c.shape[3], 1]);
      const g = tf.tensor4d(dy, dyShape as [number, number, number, number]);
      expect({ case: name(c), ready: fastDepthwiseInputGradientReady(g, filter, geometryOf(c)) }).toEqual({ case: name(c), ready: true });
      const result = depthwiseInputGradient(g, filter, geometryOf(c));
      expect(result.shape).toEqual(c.shape);
      return result.dataSync() as Float32Array;
    });
    // Sums of at most 4 products in another order than the CPU's: equal to float rounding.
    expect({ case: name(c), error: maxAbsDiff(got, dx) < 1e-5 }).toEqual({ case: name(c), error: true });
  }
  const profile = await tf.profile(() => tf.tidy(() => depthwiseInputGradient(tf.ones([1, 8, 8, 4]), tf.ones([3, 3, 4, 1]), geometryOf(CASES[0]))));
  tf.dispose(profile.result as tf.Tensor);
  expect(profile.kernels.map((k) => k.name)).toEqual(['PasticheDepthwiseInputGradient']);
  expect(tf.memory().numTensors).toBe(before);
});

it('steps aside where it cannot run: more than 4 taps a pixel, channels not in fours, the CPU backend', async () => {
  await useWasmBackend();
  const ready = (channels: number, kernel: [number, number], strides: [number, number]) =>
    tf.tidy(() => fastDepthwiseInputGradientReady(tf.zeros([1, 4, 4, channels]), tf.zeros([...kernel, channels, 1]), { height: 8, width: 8, kernelSize: kernel, strides, padding: 'same' }));
  expect([ready(8, [3, 3], [2, 2]), ready(8, [5, 5], [2, 2]), ready(6, [3, 3], [2, 2])]).toEqual([true, false, false]);
  await tf.setBackend('cpu');
  expect(ready(8, [3, 3], [2, 2])).toBe(false);
});
