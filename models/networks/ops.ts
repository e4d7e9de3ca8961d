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

/** conv2d (or depthwise) over `<scope>/weights` plus `<scope>/bias`, then the activation. */
export function convLayer(
  x: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  scope: string,
  options: { op?: 'conv2d' | 'depthwise'; strides: [number, number]; padding: 'same' | 'valid'; activation: Activation },
): tf.Tensor4D {
  const kernel = weight<tf.Rank.R4>(weights, `${scope}/weights`);
  const y =
    options.op === 'depthwise'
      ? tf.depthwiseConv2d(x, kernel, options.strides, options.padding)
      : tf.conv2d(x, kernel, options.strides, options.padding);
  const bias = weights[`${scope}/bias`];
  return activate(bias ? tf.add(y, bias) : y, options.activation);
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
  options: { op?: 'conv2d' | 'depthwise'; strides: [number, number]; padding: 'same' | 'valid'; activation: Activation },
): tf.Tensor4D {
  const activation = FUSED[options.activation];
  if (!activation) return convLayer(x, weights, scope, options);
  const bias = weights[`${scope}/bias`] as tf.Tensor1D | undefined;
  return fusedConv(x, weight<tf.Rank.R4>(weights, `${scope}/weights`), bias, { op: options.op ?? 'conv2d', strides: options.strides, padding: options.padding, activation });
}

/** [H,W,C] -> [1,H,W,C]; [N,H,W,C] unchanged. */
export function asBatch(x: tf.Tensor3D | tf.Tensor4D): tf.Tensor4D {
  return x.rank === 3 ? tf.expandDims(x as tf.Tensor3D, 0) : (x as tf.Tensor4D);
}

export function disposeMap(weights: tf.NamedTensorMap): void {
  for (const t of Object.values(weights)) t.dispose();
}
