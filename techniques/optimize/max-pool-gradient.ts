// The input gradient of a 2x2 stride-2 max pool on WASM in one SIMD pass (simd-max-pool-gradient-module.ts),
// running on the backend's own memory.
//
// Why: tfjs-backend-wasm 4.22's MaxPoolGrad is wrong after leaky ReLUs (see fast-gradients.ts), and the exact
// replacement written as TF.js ops (upsample y, compare, count ties, upsample ∂L/∂y, mask: 9 kernels over the
// pool's input) took ~12% of a Darknet-tiny gradient step. This is one pass that reads x, y and ∂L/∂y once and
// writes ∂L/∂x once. Measured (WASM, CPU time, median of 15): [1,512,512,16] (Darknet's pool1 at 512 px) 20.5 ->
// 1.5 ms, [1,512,512,64] (VGG19's pool1) 75 -> 8.7 ms, [1,256,256,128] 35.4 -> 4.5 ms; Darknet-tiny's gradient step
// to conv8 went from 2.2-2.4x its forward pass to 2.0-2.1x. Its values are TF.js's own MaxPoolGrad's (the first
// maximum of each window, in row-major order, takes the gradient; test: dream-fast-gradients.test.ts).
// Where it cannot run (another backend, no SIMD, channels not a multiple of 4), the caller keeps its TF.js ops.
import * as tf from '@tensorflow/tfjs';
import { simdMaxPoolGradientModule } from './simd-max-pool-gradient-module';
import { memoryOffset, wasmSimdKernel } from '../../models/networks/wasm-simd-kernel';

type MaxPoolGrad = (x: number, y: number, dy: number, dx: number, outRows: number, outCols: number, pixelBytes: number) => void;

const wasmMaxPoolGradient = wasmSimdKernel<MaxPoolGrad>({
  name: 'PasticheMaxPool2x2Gradient',
  module: simdMaxPoolGradientModule,
  exportName: 'maxPoolGrad',
  kernel(maxPoolGrad, { inputs, backend }) {
    const { x, y, dy } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo; dy: tf.TensorInfo };
    const [n, outH, outW, channels] = y.shape;
    const dx = backend.makeOutput([...x.shape], 'float32');
    const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
    maxPoolGrad(at(x), at(y), at(dy), at(dx), n * outH, outW, channels * 4);
    return dx;
  },
});

/**
 * Whether maxPool2x2Gradient can run on the current backend for the pool input `x` (2x2 windows,
 * stride 2, that tile it exactly; float32, channels a multiple of 4), registering the kernel the first time.
 */
export function fastMaxPool2x2GradientReady(x: tf.Tensor): boolean {
  const [, h, w, channels] = x.shape;
  if (x.rank !== 4 || x.dtype !== 'float32' || h % 2 !== 0 || w % 2 !== 0 || channels % 4 !== 0) return false;
  return wasmMaxPoolGradient.ready();
}

/** ∂L/∂x of y = maxPool(x, 2, 2) from ∂L/∂y (float32); only where fastMaxPool2x2GradientReady(x) said yes. */
export function maxPool2x2Gradient(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  return wasmMaxPoolGradient.run({ x, y, dy });
}
