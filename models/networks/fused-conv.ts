// A convolution layer (conv2d or depthwise, plus bias, plus activation) as ONE differentiable op whose backward
// pass computes only what optimising an image needs: the gradient with respect to the layer's INPUT.
//
// Why (DeepDream and the other image optimisations through MobileNetV2 and Darknet Tiny): written as separate
// TF.js ops, a layer records 3 tape nodes (conv, bias add, activation), TF.js saves a copy of every input of each of
// them for backprop (5 copies per layer, weights and bias included: on WASM each copy is a memory pass), and the
// backward pass runs 5 kernels for the ReLU6 mask plus the transposed convolution. Here the forward pass is one
// fused kernel (XNNPACK applies bias and clamp in the convolution's own output loop), the tape holds one node that
// saves only the layer's output (shared, not copied: shared-clones.ts), and the backward pass is the activation's
// mask computed from that output (one SIMD pass on WASM: masked-gradient.ts) and one transposed convolution
// (transposed-conv.ts) with a kernel derived once per job (kernel-cache.ts); for a strided depthwise layer on WASM,
// one SIMD gather pass instead (depthwise-input-gradient.ts). The weights are not inputs of the op,
// so no weight or bias gradient kernel can ever run: networks are fixed, only pixels move. Measured (MobileNetV2 to
// block_6, WASM): 329 kernels for a gradient before, 127 now; gradient / forward at 512 px 3.4 -> 2.4.
//
// Exactness: the masks equal TF.js's (ReLU and leaky ReLU: the output's sign is the input's; ReLU6: 1 on (0, 6)
// where TF.js says (0, 6] — the two differ only where the pre-activation is exactly 6.0, a kink where both are
// valid subgradients; an output of 6 cannot tell 6.0 from above). Test: dream-fused-conv.test.ts.
import * as tf from '@tensorflow/tfjs';
import { stridedDepthwiseInputGradient } from './depthwise-input-gradient';
import { derivedKernel } from './kernel-cache';
import { maskedGradient } from './masked-gradient';
import { useSharedClones } from './shared-clones';
import {
  type ConvKind,
  type ConvPadding,
  dilatedTransposedConv,
  flipKernel,
  subPixelDepthwiseKernel,
  subPixelKernel,
  subPixelTransposedConv,
} from './transposed-conv';

/** The activations whose gradient follows from the layer's output alone (see the header). */
export type FusedActivation = 'none' | 'relu' | 'relu6' | 'leakyRelu';

export interface FusedConvOptions {
  op: ConvKind;
  strides: [number, number];
  padding: ConvPadding;
  activation: FusedActivation;
  /** Slope below zero of 'leakyRelu' (> 0). */
  leakyAlpha?: number;
}

const KERNEL_ACTIVATION: Record<FusedActivation, string> = { none: 'linear', relu: 'relu', relu6: 'relu6', leakyRelu: 'leakyrelu' };

/** The backend's fused kernel, called directly: tf.fused.* falls back to separate ops under a gradient tape. */
function forward(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, options: FusedConvOptions): tf.Tensor4D {
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  const attrs = {
    strides: options.strides,
    pad: options.padding,
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined,
    activation: KERNEL_ACTIVATION[options.activation],
    leakyreluAlpha: options.leakyAlpha ?? 0,
  };
  return tf.engine().runKernel(options.op === 'depthwise' ? 'FusedDepthwiseConv2D' : 'FusedConv2D', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Whether a gradient tape is recording the ops run now. Without one (inference: classify, embeddings, the style
 *  predictor) the layer is the bare kernel: a customGrad op costs a scope, closures and bookkeeping per call. */
function recording(): boolean {
  return tf.engine().isTapeOn();
}

/** ∂L/∂(pre-activation) from ∂L/∂y and the layer's output y (masked-gradient.ts: one SIMD pass on WASM). */
function throughActivation(dy: tf.Tensor4D, y: tf.Tensor4D | undefined, options: FusedConvOptions): tf.Tensor4D {
  switch (options.activation) {
    case 'none':
      return dy;
    case 'relu':
      return maskedGradient(dy, y!, { upper: Infinity, alpha: 0 }) as tf.Tensor4D;
    case 'leakyRelu':
      return maskedGradient(dy, y!, { upper: Infinity, alpha: options.leakyAlpha ?? 0 }) as tf.Tensor4D;
    case 'relu6':
      return maskedGradient(dy, y!, { upper: 6, alpha: 0 }) as tf.Tensor4D;
  }
}

/** ∂L/∂x from ∂L/∂(pre-activation): a transposed convolution with a kernel derived once per job. */
function transposed(dz: tf.Tensor4D, xShape: readonly number[], filter: tf.Tensor4D, options: FusedConvOptions): tf.Tensor4D {
  const [kh, kw] = filter.shape;
  const { strides, padding } = options;
  const stride = strides.join('x');
  if (strides[0] > 1 || strides[1] > 1) {
    if (options.op === 'depthwise') {
      const phase = (a: number) => derivedKernel(filter.dataId, `sub-pixel depthwise ${stride} row phase ${a}`, () => subPixelDepthwiseKernel(filter, strides, a));
      return stridedDepthwiseInputGradient(dz, xShape, filter, strides, padding, phase);
    }
    const kernel = derivedKernel(filter.dataId, `sub-pixel ${stride}`, () => subPixelKernel(filter, strides));
    return subPixelTransposedConv(dz, xShape, [kh, kw], strides, padding, kernel);
  }
  const flipped = derivedKernel(filter.dataId, `flipped ${options.op}`, () => flipKernel(filter, options.op));
  return dilatedTransposedConv(dz, xShape, [kh, kw], strides, padding, (u, explicit) =>
    options.op === 'depthwise' ? tf.depthwiseConv2d(u, flipped, 1, explicit) : tf.conv2d(u, flipped, 1, explicit),
  );
}

/**
 * activation(conv(x, filter) + bias) for x [N,H,W,Cin] (NHWC, dilation 1; depthwise: channel multiplier 1).
 * `filter` and `bias` are borrowed weights, captured rather than differentiated.
 */
export function fusedConv(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, options: FusedConvOptions): tf.Tensor4D {
  if (options.op === 'depthwise' && filter.shape[3] !== 1) throw new Error(`fusedConv: depthwise channel multiplier ${filter.shape[3]} is not supported`);
  if (!recording()) return forward(x, filter, bias, options);
  useSharedClones(); // the saved output without a copy on WASM
  const xShape = [...x.shape];
  const layer = tf.customGrad((input, save) => {
    const y = forward(input as tf.Tensor4D, filter, bias, options);
    if (options.activation !== 'none') (save as tf.GradSaveFunc)([y]); // a no-op unless a gradient tape records
    return {
      value: y,
      gradFunc: (dy, saved) => tf.tidy(() => transposed(throughActivation(dy as tf.Tensor4D, saved[0] as tf.Tensor4D | undefined, options), xShape, filter, options)),
    };
  });
  return layer(x) as tf.Tensor4D;
}

/** a + b for same-shaped tensors, as a tape node that saves nothing (TF.js's Add keeps copies of both inputs). */
export function residualAdd(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  if (!tf.util.arraysEqual(a.shape, b.shape)) throw new Error(`residualAdd: shapes [${a.shape}] and [${b.shape}] differ`);
  if (!recording()) return tf.add(a, b);
  const add = tf.customGrad((p, q) => ({
    value: tf.add(p as tf.Tensor, q as tf.Tensor),
    // Reshapes share ∂L/∂y's data without copying; the tape accumulates (and frees) each as its own tensor.
    gradFunc: (dy) => [tf.reshape(dy as tf.Tensor, a.shape), tf.reshape(dy as tf.Tensor, b.shape)],
  }));
  return add(a, b) as tf.Tensor4D;
}
