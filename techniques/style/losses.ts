// The terms of the Gatys objective on whole-image tensors, each normalized by its target's own magnitude so that the
// weights are dimensionless and mean the same thing at every image size, pyramid level and layer. Feature inversion
// uses them as they are; the Gatys objective computes the same terms tile by tile (gatys-objective.ts), checked
// against these by test/unit/style-gatys-tiled.test.ts.
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
