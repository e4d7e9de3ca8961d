// Input gradients of strided and depthwise convolutions written as forward convolutions (and faster gradients of
// ReLU6, leaky ReLU, max pool and matrix products), so every technique that takes gradients through a network
// (DeepDream, feature inversion, ...) can do it on the WASM backend at all, correctly and quickly.
//
// Why: tfjs-backend-wasm 4.22 has no DepthwiseConv2dNativeBackpropInput kernel (TF.js's depthwise gradient throws
// "Kernel ... not registered for backend 'wasm'"), and its Conv2DBackpropInput is a plain loop (see
// optimize/conv-input-gradient.ts). The input gradient of a convolution is a transposed convolution, which
// models/networks/transposed-conv.ts writes as forward convolutions (XNNPACK on WASM): dilated for stride 1 and
// depthwise, sub-pixel for strided conv2d (a strided depthwise one: one SIMD gather pass on WASM,
// models/networks/depthwise-input-gradient.ts). The result is identical to TF.js's own gradient (test:
// dream-fast-gradients.test.ts); other configurations (dilation, explicit padding, NCHW, channel multiplier > 1)
// keep TF.js's gradient. MobileNetV2's and Darknet's own layers do not come through here: they are fused ops with
// their own input-only gradient (models/networks/fused-conv.ts); these registrations serve plain TF.js ops.
import * as tf from '@tensorflow/tfjs';
import { stridedDepthwiseInputGradient } from '../../models/networks/depthwise-input-gradient';
import { derivedKernel, withKernelCache } from '../../models/networks/kernel-cache';
import {
  dilatedTransposedConv,
  flipKernel,
  subPixelDepthwiseKernel,
  subPixelKernel,
  subPixelTransposedConv,
} from '../../models/networks/transposed-conv';
import { useSharedClones } from '../../models/networks/shared-clones';
import { useFastConvInputGradient } from './conv-input-gradient';
import { fastMaxPool2x2GradientReady, maxPool2x2Gradient } from './max-pool-gradient';

type Pair = number | [number, number];

const pair = (v: Pair | undefined): [number, number] => (v === undefined ? [1, 1] : Array.isArray(v) ? v : [v, v]);

// Derived kernels are cached per weight while a job runs (models/networks/kernel-cache.ts). The gradient only sees
// a copy of the weight (TF.js saves inputs for backprop by cloning them, and WASM clones by copying), so the forward
// kernels are wrapped to note the weight's identity (its dataId) in the op's attributes, which TF.js hands to the
// gradient unchanged. (The networks' own layers skip all this: models/networks/fused-conv.ts.)
const FILTER_ID = '__dreamFilterDataId';

/** `derive(filter)` cached under the weight noted in `attrs` (fresh when the forward kernel noted none). */
function kernelOf(filter: tf.Tensor4D, attrs: object, name: string, derive: (filter: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const key = (attrs as Record<string, unknown>)[FILTER_ID];
  if (typeof key !== 'object' || key === null) return derive(filter);
  return derivedKernel(key, name, () => derive(filter));
}

/** Wraps the current backend's forward kernel so its attributes carry the weight's identity (for the cache). */
function noteFilterIdentity(kernelName: string): void {
  const backend = tf.getBackend();
  const kernel = tf.getKernel(kernelName, backend);
  if (!kernel || (kernel as { [FILTER_ID]?: boolean })[FILTER_ID]) return;
  const forward = kernel.kernelFunc;
  tf.unregisterKernel(kernelName, backend);
  tf.registerKernel({
    ...kernel,
    [FILTER_ID]: true,
    kernelFunc: (args) => {
      const filter = args.inputs.filter as tf.TensorInfo | undefined;
      if (filter && args.attrs) (args.attrs as Record<string, unknown>)[FILTER_ID] = filter.dataId;
      return forward(args);
    },
  } as tf.KernelConfig);
}

/** Runs `job` with derived kernels cached across its steps; they are freed when the last such job ends. */
export { withKernelCache };

interface ConvAttrs {
  strides: Pair;
  pad: unknown;
  dilations?: Pair;
  dataFormat?: string;
}

let installed = false;

/**
 * Installs the rewritten input gradients of Conv2D (strided; stride 1 via optimize/conv-input-gradient.ts) and
 * DepthwiseConv2dNative (any stride, multiplier 1) once per process (global TF.js registry). Idempotent. Call it
 * before taking gradients through MobileNetV2 or Darknet on WASM.
 */
export function useFastGradients(): void {
  // Per backend: the forward kernels are registered per backend (a later backend switch calls this again).
  noteFilterIdentity('Conv2D');
  noteFilterIdentity('DepthwiseConv2dNative');
  useSharedClones(); // the tape's saved tensors without a copy each
  if (installed) return;
  useFastConvInputGradient();
  const conv = tf.getGradient('Conv2D');
  if (conv) {
    tf.registerGradient({
      kernelName: 'Conv2D',
      inputsToSave: conv.inputsToSave,
      gradFunc: (dy, saved, attrs) => {
        const grads = conv.gradFunc(dy, saved, attrs);
        const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
        const { strides, pad, dilations, dataFormat } = attrs as unknown as ConvAttrs;
        const s = pair(strides);
        if ((pad === 'same' || pad === 'valid') && pair(dilations).every((d) => d === 1) && dataFormat !== 'NCHW' && x.rank === 4) {
          const [kh, kw] = filter.shape;
          grads.x =
            s[0] > 1 || s[1] > 1
              ? () => subPixelTransposedConv(dy as tf.Tensor4D, x.shape, [kh, kw], s, pad, kernelOf(filter, attrs, `sub-pixel ${s.join('x')}`, (f) => subPixelKernel(f, s)))
              : () => dilatedTransposedConv(dy as tf.Tensor4D, x.shape, [kh, kw], s, pad, (u, padding) => tf.conv2d(u, kernelOf(filter, attrs, 'flipped conv2d', (f) => flipKernel(f, 'conv2d')), 1, padding));
        }
        return grads;
      },
    });
  }
  const depthwise = tf.getGradient('DepthwiseConv2dNative');
  if (depthwise) {
    tf.registerGradient({
      kernelName: 'DepthwiseConv2dNative',
      inputsToSave: depthwise.inputsToSave,
      gradFunc: (dy, saved, attrs) => {
        const grads = depthwise.gradFunc(dy, saved, attrs);
        const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
        const { strides, pad, dilations, dataFormat } = attrs as unknown as ConvAttrs;
        if ((pad === 'same' || pad === 'valid') && pair(dilations).every((d) => d === 1) && dataFormat !== 'NCHW' && x.rank === 4 && filter.shape[3] === 1) {
          const [kh, kw] = filter.shape;
          const s = pair(strides);
          grads.x =
            s[0] > 1 || s[1] > 1
              ? () =>
                  stridedDepthwiseInputGradient(dy as tf.Tensor4D, x.shape, filter, s, pad, (a) =>
                    kernelOf(filter, attrs, `sub-pixel depthwise ${s.join('x')} row phase ${a}`, (f) => subPixelDepthwiseKernel(f, s, a)),
                  )
              : () => dilatedTransposedConv(dy as tf.Tensor4D, x.shape, [kh, kw], s, pad, (u, padding) => tf.depthwiseConv2d(u, kernelOf(filter, attrs, 'flipped depthwise', (f) => flipKernel(f, 'depthwise')), 1, padding));
        }
        return grads;
      },
    });
  }
  // Elementwise masks: TF.js builds them from comparison ops (LessEqual, Greater, Cast, Select) that run ~20x slower
  // than arithmetic on WASM; `step` gives the same masks exactly (step(v, a) = 1 where v > 0, else a).
  tf.registerGradient({
    kernelName: 'Relu6',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      return { x: () => tf.mul(dy as tf.Tensor, tf.sub(tf.step(x), tf.step(tf.sub(x, 6)))) }; // 1 on (0, 6], as TF.js's
    },
  });
  tf.registerGradient({
    kernelName: 'LeakyRelu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { alpha } = attrs as unknown as { alpha: number };
      return { x: () => tf.mul(dy as tf.Tensor, tf.step(x, alpha)) }; // 1 where x > 0, else alpha, as TF.js's
    },
  });
  // MaxPool on WASM: tfjs-backend-wasm 4.22's MaxPoolGrad and MaxPoolWithArgmax are wrong when a window holds only
  // negative values (the running max starts at FLT_MIN, the smallest *positive* float: measured, every window of
  // negatives sends its gradient to index 0), and Darknet pools leaky-ReLU outputs, which are often negative. For
  // non-overlapping windows that tile the input (Darknet's 2x2 stride-2 pools on even sizes) the gradient is
  // ∂L/∂y upsampled onto the pixels equal to their window's max (split evenly between tied maxima: a valid
  // subgradient, where TF.js gives all to the first); other pools shift the input positive and use the argmax.
  // Faster too: 9 ms instead of MaxPoolGrad's 22 ms for Darknet's first pool at 256 px. 2x2 stride-2 pools over
  // channels in fours (VGG19's, Darknet's) take one SIMD pass instead (max-pool-gradient.ts), TF.js's exact values.
  const maxPool = tf.getGradient('MaxPool');
  if (maxPool) {
    tf.registerGradient({
      kernelName: 'MaxPool',
      inputsToSave: maxPool.inputsToSave,
      outputsToSave: maxPool.outputsToSave,
      gradFunc: (dy, saved, attrs) => {
        const grads = maxPool.gradFunc(dy, saved, attrs);
        if (tf.getBackend() !== 'wasm') return grads;
        const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
        const { filterSize, strides, pad } = attrs as unknown as { filterSize: Pair; strides: Pair; pad: unknown };
        const [kh, kw] = pair(filterSize);
        const [sh, sw] = pair(strides);
        const [, h, w] = x.shape;
        if (x.rank !== 4 || !(pad === 'same' || pad === 'valid')) return grads;
        if (kh === sh && kw === sw && h % sh === 0 && w % sw === 0 && y.shape[1] * sh === h && y.shape[2] * sw === w) {
          if (kh === 2 && kw === 2 && fastMaxPool2x2GradientReady(x)) {
            grads.x = () => maxPool2x2Gradient(x, y, dy as tf.Tensor4D);
            return grads;
          }
          grads.x = () => {
            const up = (t: tf.Tensor4D) => tf.image.resizeNearestNeighbor(t, [h, w]);
            const isMax = tf.sub(1, tf.step(tf.sub(up(y), x))) as tf.Tensor4D; // 1 where x equals its window's max
            const ties = tf.mul(tf.avgPool(isMax, [kh, kw], [sh, sw], 'valid'), kh * kw);
            return tf.mul(up(tf.div(dy as tf.Tensor4D, ties) as tf.Tensor4D), isMax);
          };
        } else {
          grads.x = () => {
            const positive = tf.add(tf.sub(x, tf.min(x)), 1) as tf.Tensor4D;
            const { result, indexes } = tf.maxPoolWithArgmax(positive, [kh, kw], [sh, sw], pad, true);
            result.dispose();
            return tf.reshape(tf.scatterND(tf.reshape(indexes, [-1, 1]), tf.reshape(dy as tf.Tensor, [-1]), [x.size]), x.shape);
          };
        }
        return grads;
      },
    });
  }
  // MatMul: TF.js's gradient multiplies by transposed operands through the transposeA/transposeB flags, which
  // tfjs-backend-wasm runs ~10x slower than a plain product (measured [224,224]·[224,339]: 1.7 ms plain, 20 ms with
  // transposeA). Transposing explicitly first is exact and keeps both products on the fast path (the Fourier image
  // parameterisation of noise starts is all matrix products).
  const matMul = tf.getGradient('BatchMatMul');
  if (matMul) {
    tf.registerGradient({
      kernelName: 'BatchMatMul',
      inputsToSave: matMul.inputsToSave,
      gradFunc: (dy, saved, attrs) => {
        const grads = matMul.gradFunc(dy, saved, attrs);
        const [a, b] = saved as [tf.Tensor, tf.Tensor];
        const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
        if (transposeA || transposeB || a.rank !== 2 || b.rank !== 2 || tf.getBackend() !== 'wasm') return grads;
        grads.a = () => tf.matMul(dy as tf.Tensor2D, tf.transpose(b) as tf.Tensor2D);
        grads.b = () => tf.matMul(tf.transpose(a) as tf.Tensor2D, dy as tf.Tensor2D);
        return grads;
      },
    });
  }
  installed = true;
}
