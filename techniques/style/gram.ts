// Gram matrices of feature maps (Gatys et al. 2015): channel-by-channel correlations averaged over positions.
// They throw away *where* a feature fires and keep *which features fire together*: a description of texture/style.
import * as tf from '@tensorflow/tfjs';

/**
 * G = FᵀF / (H·W) for a feature map F of shape [1, H, W, C] seen as an (H·W) x C matrix; returns [C, C].
 * Dividing by H·W (not by C·H·W) keeps entries on the scale of mean products of activations, so Grams of
 * the same image at different sizes are comparable (the pyramid and the 256 px metric rely on this).
 * Differentiable; the caller owns the result.
 */
export function gramMatrix(features: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = features.shape;
    if (batch !== 1) throw new Error(`gramMatrix: batch must be 1, got ${batch}`);
    const flat = tf.reshape(features, [height * width, channels]) as tf.Tensor2D;
    return tf.div(tf.matMul(flat, flat, true, false), height * width) as tf.Tensor2D;
  });
}
