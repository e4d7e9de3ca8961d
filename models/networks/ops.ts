// Small TF.js helpers shared by the network functions converted from TFLite graphs.
import * as tf from '@tensorflow/tfjs';
import { type FusedActivation, fusedConv } from './fused-conv';

export type Activation = 'none' | 'relu' | 'relu6' | 'relu_n1_to_1' | 'tanh' | 'sign_bit' | 'sigmoid';

export function activate(x: tf.Tensor4D, activation: Activation): tf.Tensor4D {
  switch (activation) {
    case 'none':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'relu_n1_to_1':
      return tf.clipByValue(x, -1, 1);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    default:
      throw new Error(`activation ${activation} is not supported`);
  }
}

/** Weight tensor by name, with an error that names what is missing (a stale or foreign cache). */
export function weight<R extends tf.Rank>(weights: tf.NamedTensorMap, name: string): tf.Tensor<R> {
  const t = weights[name];
  if (!t) throw new Error(`weight ${name} is missing`);
  return t as tf.Tensor<R>;
}

/** A convolution layer's settings; its weights are `${scope}/weights` and `${scope}/bias`. */
export interface ConvLayerOptions {
  op?: 'conv2d' | 'depthwise';
  strides: [number, number];
  padding: 'same' | 'valid';
  activation: Activation;
}

/** conv2d (or depthwise) over `<scope>/weights` plus `<scope>/bias`, then the activation. */
export function convLayer(
  x: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  scope: string,
  options: ConvLayerOptions,
): tf.Tensor4D {
  const kernel = weight<tf.Rank.R4>(weights, `${scope}/weights`);
  const y =
    options.op === 'depthwise'
      ? tf.depthwiseConv2d(x, kernel, options.strides, options.padding)
      : tf.conv2d(x, kernel, options.strides, options.padding);
  const bias = weights[`${scope}/bias`];
  return activate(bias ? tf.add(y, bias) : y, options.activation);
}

const KERNEL_FUSED: Partial<Record<Activation, tf.fused.Activation>> = { none: 'linear', relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid' };

/**
 * convLayer with bias and activation in the convolution's own kernel (tf.fused.*), for layers outside fused-conv.ts
 * (classifiers, the style transformer's parameter convolutions). Under a gradient tape, and for other activations,
 * it is convLayer: TF.js's fused gradient would call its conv input-gradient kernel directly, around the faster
 * gradients that techniques/optimize/fast-gradients.ts registers for Conv2D.
 */
export function kernelFusedConvLayer(
  x: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  scope: string,
  options: ConvLayerOptions,
): tf.Tensor4D {
  const activation = KERNEL_FUSED[options.activation];
  if (!activation || tf.engine().isTapeOn()) return convLayer(x, weights, scope, options);
  const args = { x, filter: weight<tf.Rank.R4>(weights, `${scope}/weights`), strides: options.strides, pad: options.padding, bias: weights[`${scope}/bias`], activation };
  return options.op === 'depthwise' ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
}

const FUSED: Partial<Record<Activation, FusedActivation>> = { none: 'none', relu: 'relu', relu6: 'relu6' };

/**
 * convLayer as one fused op with an input-only gradient (fused-conv.ts): what networks that images are optimised
 * through use. Activations without a fused gradient fall back to convLayer.
 */
export function fusedConvLayer(
  x: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  scope: string,
  options: ConvLayerOptions,
): tf.Tensor4D {
  const activation = FUSED[options.activation];
  if (!activation) return convLayer(x, weights, scope, options);
  const bias = weights[`${scope}/bias`] as tf.Tensor1D | undefined;
  return fusedConv(x, weight<tf.Rank.R4>(weights, `${scope}/weights`), bias, { op: options.op ?? 'conv2d', strides: options.strides, padding: options.padding, activation });
}

/**
 * Mean over H and W, [N,1,1,C]. On WASM outside a gradient tape it is one average pooling over the whole image
 * (XNNPACK): tfjs-backend-wasm's Mean over [1, 2] transposes the channels out of the way first (MobileNetV2's
 * 7x7x1280 head: 0.13 ms as Mean, the style predictor's 8x8x1280: 0.20 ms).
 */
export function globalAverage(x: tf.Tensor4D): tf.Tensor4D {
  if (tf.getBackend() !== 'wasm' || tf.engine().isTapeOn()) return tf.mean(x, [1, 2], true) as tf.Tensor4D;
  return tf.avgPool(x, [x.shape[1], x.shape[2]], 1, 'valid') as tf.Tensor4D;
}

/** [H,W,C] -> [1,H,W,C]; [N,H,W,C] unchanged. */
export function asBatch(x: tf.Tensor3D | tf.Tensor4D): tf.Tensor4D {
  return x.rank === 3 ? tf.expandDims(x as tf.Tensor3D, 0) : (x as tf.Tensor4D);
}

export function disposeMap(weights: tf.NamedTensorMap): void {
  for (const t of Object.values(weights)) t.dispose();
}
