// The three terms of the Gatys objective. Each is normalized by its target's own magnitude so that the
// weights are dimensionless and mean the same thing at every image size, pyramid level and layer.
import * as tf from '@tensorflow/tfjs';

/** mean((x − target)²) / mean(target²): 0 = identical, 1 = as far as zero is from the target. */
export function relativeSquaredError(x: tf.Tensor, target: tf.Tensor, targetMeanSquare?: tf.Scalar): tf.Scalar {
  return tf.tidy(() => tf.div(tf.mean(tf.squaredDifference(x, target)), targetMeanSquare ?? tf.mean(tf.square(target))) as tf.Scalar);
}

/** A precomputed target: the tensor and its mean square (so the normalization is not recomputed each step). */
export interface LossTarget {
  value: tf.Tensor;
  meanSquare: tf.Scalar;
}

export function makeTarget(value: tf.Tensor): LossTarget {
  return { value, meanSquare: tf.tidy(() => tf.mean(tf.square(value)) as tf.Scalar) };
}

export function disposeTarget(target: LossTarget): void {
  tf.dispose([target.value, target.meanSquare]);
}

/** Mean of `relativeSquaredError` over matched (Gram, target Gram) pairs. */
export function styleLoss(grams: readonly tf.Tensor2D[], targets: readonly LossTarget[]): tf.Scalar {
  if (grams.length !== targets.length || grams.length === 0) throw new Error(`styleLoss: ${grams.length} Grams for ${targets.length} targets`);
  return tf.tidy(() => tf.div(tf.addN(grams.map((g, i) => relativeSquaredError(g, targets[i].value, targets[i].meanSquare))), grams.length) as tf.Scalar);
}

/**
 * Total variation: mean squared difference between horizontal and vertical neighbours, on the 0..1 scale.
 * Penalizes the high-frequency noise that matching Gram matrices alone leaves behind.
 */
export function totalVariation(x: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [, height, width] = x.shape;
    const dy = tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, height - 1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, height - 1, -1, -1]));
    const dx = tf.sub(tf.slice(x, [0, 0, 1, 0], [-1, -1, width - 1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, width - 1, -1]));
    return tf.add(tf.mean(tf.square(dy)), tf.mean(tf.square(dx))) as tf.Scalar;
  });
}
