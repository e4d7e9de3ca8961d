// Input gradients of strided and depthwise convolutions written as forward convolutions (and faster gradients of
// ReLU6, leaky ReLU, max pool and matrix products), so every technique that takes gradients through a network
// (DeepDream, feature inversion, ...) can do it on the WASM backend at all, correctly and quickly.
//
// Why: tfjs-backend-wasm 4.22 has no DepthwiseConv2dNativeBackpropInput kernel (TF.js's depthwise gradient throws
// "Kernel ... not registered for backend 'wasm'", so MobileNetV2 could not be dreamed on WASM), and its
// Conv2DBackpropInput is a plain loop (see optimize/conv-input-gradient.ts, which already reroutes stride-1 Conv2D).
// The input gradient of a convolution is the transposed convolution of ∂L/∂y. For stride s we insert s−1 zeros
// between the values of ∂L/∂y ("dilate"), pad so that the windows line up with the forward pass's "same"/"valid"
// padding, and run a stride-1 "valid" convolution with the kernel flipped in space (input and output channels
// swapped for conv2d; the same channel for a depthwise kernel with multiplier 1). Forward convolutions run through
// XNNPACK on WASM. The result is identical to TF.js's own gradient (test: dream-fast-gradients.test.ts); other
// configurations (dilation, explicit padding, NCHW, channel multiplier > 1) keep TF.js's gradient.
import * as tf from '@tensorflow/tfjs';
import { useFastConvInputGradient } from './conv-input-gradient';

type Pair = number | [number, number];

const pair = (v: Pair | undefined): [number, number] => (v === undefined ? [1, 1] : Array.isArray(v) ? v : [v, v]);

/** Padding before the first input row of a forward pass ("same": TF's floor(total / 2); "valid": 0). */
function padBefore(size: number, kernel: number, stride: number, pad: 'same' | 'valid'): number {
  if (pad === 'valid') return 0;
  const out = Math.ceil(size / stride);
  return Math.floor(Math.max((out - 1) * stride + kernel - size, 0) / 2);
}

/** Inserts stride−1 zeros after every value along height and width: [1,h,w,c] -> [1,h·sh,w·sw,c]. */
function dilate(dy: tf.Tensor4D, [sh, sw]: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = dy.shape;
  let x: tf.Tensor4D = dy;
  if (sw > 1) x = tf.reshape(tf.pad(tf.reshape(x, [n * h, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]), [n, h, w * sw, c]);
  if (sh > 1) x = tf.reshape(tf.pad(tf.reshape(x, [n, h, 1, w * sw * c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]), [n, h * sh, w * sw, c]);
  return x;
}

/**
 * ∂L/∂x of a forward convolution with input shape `xShape`, as a stride-1 convolution of the dilated ∂L/∂y with
 * explicit padding that lines its windows up with the forward pass's "same"/"valid" padding. `convolve` runs the
 * flipped kernel (a cached tensor, so that XNNPACK keeps its packed operator from step to step).
 */
function transposedByForward(
  dy: tf.Tensor4D,
  xShape: number[],
  kernelSize: [number, number],
  strides: [number, number],
  pad: 'same' | 'valid',
  convolve: (u: tf.Tensor4D, padding: [[0, 0], [number, number], [number, number], [0, 0]]) => tf.Tensor4D,
): tf.Tensor4D {
  const [, height, width] = xShape;
  const [kh, kw] = kernelSize;
  const [sh, sw] = strides;
  let u = dilate(dy, strides);
  const before = [kh - 1 - padBefore(height, kh, sh, pad), kw - 1 - padBefore(width, kw, sw, pad)];
  // Rows the valid convolution must see: height + kh − 1 in all; what the dilated ∂L/∂y lacks is padded, extra is cut.
  const after = [height + kh - 1 - before[0] - u.shape[1], width + kw - 1 - before[1] - u.shape[2]];
  if (before[0] < 0 || before[1] < 0 || after[0] < 0 || after[1] < 0) {
    const start = [Math.max(-before[0], 0), Math.max(-before[1], 0)];
    u = tf.slice(u, [0, start[0], start[1], 0], [-1, u.shape[1] - start[0] - Math.max(-after[0], 0), u.shape[2] - start[1] - Math.max(-after[1], 0), -1]);
  }
  return convolve(u, [[0, 0], [Math.max(before[0], 0), Math.max(after[0], 0)], [Math.max(before[1], 0), Math.max(after[1], 0)], [0, 0]]);
}

// Flipped kernels, cached per weight tensor while a dream job runs (see withKernelCache). Without the cache every
// step flips every kernel again (Reverse cost ~13% of a MobileNetV2 step) and, worse, hands XNNPACK a new kernel
// tensor, which it repacks on every call (measured: a 1x1 conv's backward 16 ms with a kept kernel, 34 ms fresh).
// The gradient only sees a copy of the weight (TF.js saves inputs for backprop by cloning them, and WASM clones by
// copying), so the forward kernels are wrapped to note the weight's identity (its dataId) in the op's attributes,
// which TF.js hands to the gradient unchanged.
const FILTER_ID = '__dreamFilterDataId';
type Flip = 'conv2d' | 'depthwise';
let cacheScopes = 0;
let cache = new WeakMap<object, Map<Flip, tf.Tensor4D>>();
let cached: tf.Tensor[] = [];

function flip(filter: tf.Tensor4D, kind: Flip): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  // Reversing both spatial axes is reversing their flattened index (a 1D reverse: twice as fast on WASM); a 1x1
  // kernel needs none.
  const flipped = kh * kw === 1 ? filter : (tf.reshape(tf.reverse(tf.reshape(filter, [kh * kw, cin * cout]), 0), filter.shape) as tf.Tensor4D);
  if (kind === 'conv2d') return tf.transpose(flipped, [0, 1, 3, 2]) as tf.Tensor4D;
  // Never hand back `filter` itself: it is the tape's saved copy, disposed after this backward pass.
  return flipped === filter ? (tf.clone(filter) as tf.Tensor4D) : flipped;
}

function flippedKernel(filter: tf.Tensor4D, kind: Flip, attrs: object): tf.Tensor4D {
  const key = (attrs as Record<string, unknown>)[FILTER_ID];
  if (cacheScopes === 0 || typeof key !== 'object' || key === null) return flip(filter, kind);
  let byKind = cache.get(key);
  if (!byKind) cache.set(key, (byKind = new Map()));
  let kernel = byKind.get(kind);
  if (!kernel) {
    kernel = tf.keep(flip(filter, kind));
    byKind.set(kind, kernel);
    cached.push(kernel);
  }
  return kernel;
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

/** Runs `job` with flipped kernels cached across its steps; they are freed when the last such job ends. */
export async function withKernelCache<T>(job: () => Promise<T>): Promise<T> {
  cacheScopes++;
  try {
    return await job();
  } finally {
    if (--cacheScopes === 0) {
      tf.dispose(cached);
      cached = [];
      cache = new WeakMap();
    }
  }
}

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
          grads.x = () => transposedByForward(dy as tf.Tensor4D, x.shape, [kh, kw], s, pad, (u, padding) => tf.conv2d(u, flippedKernel(filter, 'conv2d', attrs), 1, padding));
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
          grads.x = () => transposedByForward(dy as tf.Tensor4D, x.shape, [kh, kw], pair(strides), pad, (u, padding) => tf.depthwiseConv2d(u, flippedKernel(filter, 'depthwise', attrs), 1, padding));
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
  // Faster too: 9 ms instead of MaxPoolGrad's 22 ms for Darknet's first pool at 256 px.
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
