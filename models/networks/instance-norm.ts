// The two halves of an instance norm over [1,H,W,C] activations: per-channel statistics over H and W, and the
// per-channel affine map (x - mean) * gamma / sqrt(var + eps) + beta with the activation after it.
//
// Why not tf.moments and broadcast arithmetic on WASM: tfjs-backend-wasm 4.22 reduces over [1, 2] by transposing
// the channels out of the way first, and its broadcasting Sub/Mul/Add against a [1,1,1,C] tensor run ~10x slower
// than same-shape ones (at 384x384x8: Mean 1.1 ms, Sub 1.4 ms, Square 0.18 ms). Here the means over H,W are one
// average pooling over the whole image (XNNPACK: ~0.2 ms at 384x384x8; a row of ones times the [H·W, C] matrix
// took 6.7 ms, XNNPACK packing the fresh matrix as weights on every call), and each per-channel affine map, with the
// activation fused, is one 1x1 depthwise convolution through XNNPACK (filter = the scales, bias = the shifts).
// Measured per norm (mean, variance, normalise, ReLU), WASM: 96x96x32 1.73 -> 0.94 ms, 192x192x16 3.1 -> 1.9 ms,
// 384x384x8 10.2 -> 4.1 ms, 384x384x3 6.5 -> 2.0 ms; the Magenta transformer at 384 px has 14 of them.
// Other backends (WebGL reduces in parallel and broadcasts for free) keep tf.moments and plain arithmetic. Both compute the variance from centred values (two passes), as tf.moments does.
import * as tf from '@tensorflow/tfjs';

/** The activations an instance norm can end with (those the fused kernels apply). */
export type NormActivation = 'none' | 'relu' | 'sigmoid';

const KERNEL_ACTIVATION: Record<NormActivation, string> = { none: 'linear', relu: 'relu', sigmoid: 'sigmoid' };

export interface ChannelMoments {
  /** [1,1,1,C] */
  mean: tf.Tensor4D;
  /** [1,1,1,C], the population variance (divided by H·W, as tf.moments). */
  variance: tf.Tensor4D;
}

/** The WASM forms apply to one image at a time, and not under a gradient tape: the depthwise kernel is called
 *  directly (below), which TF.js gives no gradient; the plain forms are differentiable. */
const onWasm = (x: tf.Tensor) => x.shape[0] === 1 && tf.getBackend() === 'wasm' && !tf.engine().isTapeOn();

/** Per-channel mean and variance over H and W of x [1,H,W,C]. */
export function channelMoments(x: tf.Tensor4D): ChannelMoments {
  return tf.tidy(() => {
    if (!onWasm(x)) {
      const { mean, variance } = tf.moments(x, [1, 2], true);
      return { mean: mean as tf.Tensor4D, variance: variance as tf.Tensor4D };
    }
    const [, h, w, c] = x.shape;
    const channelMean = (t: tf.Tensor4D) => tf.avgPool(t, [h, w], 1, 'valid') as tf.Tensor4D;
    const mean = channelMean(x);
    const centred = depthwiseAffine(x, tf.ones([c]) as tf.Tensor1D, tf.neg(tf.reshape(mean, [c])) as tf.Tensor1D, 'none');
    const variance = channelMean(tf.square(centred));
    return { mean, variance };
  });
}

/**
 * activation((x - mean) * gamma / sqrt(variance + epsilon) + beta) for x [1,H,W,C] and [1,1,1,C] statistics and
 * parameters.
 */
export function normalize(x: tf.Tensor4D, moments: ChannelMoments, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, activation: NormActivation): tf.Tensor4D {
  return tf.tidy(() => {
    const c = x.shape[3];
    const scale = tf.mul(tf.reshape(gamma, [c]), tf.rsqrt(tf.add(tf.reshape(moments.variance, [c]), epsilon))) as tf.Tensor1D;
    if (!onWasm(x)) {
      const y = tf.add(tf.mul(tf.sub(x, moments.mean), tf.reshape(scale, [1, 1, 1, c])), beta) as tf.Tensor4D;
      return activation === 'relu' ? tf.relu(y) : activation === 'sigmoid' ? tf.sigmoid(y) : y;
    }
    // x * scale + (beta - mean * scale): one pass over x instead of three.
    const shift = tf.sub(tf.reshape(beta, [c]), tf.mul(tf.reshape(moments.mean, [c]), scale)) as tf.Tensor1D;
    return depthwiseAffine(x, scale, shift, activation);
  });
}

/** activation(x * scale + shift) per channel, as a 1x1 depthwise convolution (XNNPACK on WASM). */
function depthwiseAffine(x: tf.Tensor4D, scale: tf.Tensor1D, shift: tf.Tensor1D, activation: NormActivation): tf.Tensor4D {
  const c = x.shape[3];
  // The kernel, not tf.fused.depthwiseConv2d: the WASM kernel reads the bias's rank from its data, which a reshape
  // shares, so `shift` must have been computed as rank 1 (it is, above); the filter is a reshape of `scale`.
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: KERNEL_ACTIVATION[activation], leakyreluAlpha: 0 };
  return tf.engine().runKernel('FusedDepthwiseConv2D', { x, filter: tf.reshape(scale, [1, 1, c, 1]), bias: shift }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
