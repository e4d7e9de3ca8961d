// Bridges a TF.js loss of an image to the flat-vector world of L-BFGS: f(x) and ∇f(x) for a Float32Array that
// holds the image's pixels. One forward and one backward pass per call; every tensor is freed before returning.
import * as tf from '@tensorflow/tfjs';
import type { ValueAndGradient } from './lbfgs';

export type ImageLoss = (image: tf.Tensor4D) => tf.Scalar;

export function flatValueAndGradient(loss: ImageLoss, shape: [number, number, number, number]): ValueAndGradient {
  const valueAndGrad = tf.valueAndGrad(loss);
  return async (x) => {
    const { value, grad } = tf.tidy(() => valueAndGrad(tf.tensor4d(x, shape)));
    try {
      const [v, g] = await Promise.all([value.data(), grad.data()]);
      return { value: v[0], gradient: g instanceof Float32Array ? g : Float32Array.from(g) };
    } finally {
      tf.dispose([value, grad]);
    }
  };
}
