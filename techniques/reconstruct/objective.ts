// The feature-inversion objective (Mahendran & Vedaldi 2015, "Understanding deep image representations by
// inverting them"): find an image whose features at one layer match the source's, with a smoothness prior.
//
//   loss(x) = ‖φ(x) − φ(x0)‖² / ‖φ(x0)‖²  +  λ_TV · TV(x)  +  λ_range · mean(dist(x, [0, 1])²)
//
// The feature term is normalised by the target's own energy, so 1 means "as far as an all-zero feature map" and
// the weights mean the same at every image size. TV is the mean squared neighbour difference on the 0..1
// scale (shared with the Gatys path); the range term is a soft box that keeps the unconstrained L-BFGS iterate
// near displayable pixels (Mahendran & Vedaldi's bounded-range regulariser, in its simplest form).
import * as tf from '@tensorflow/tfjs';
import { disposeTarget, makeTarget, relativeSquaredError, totalVariation, type LossTarget } from '../style/losses';
import type { ImageLoss } from '../optimize/image-objective';
import type { FeatureNetwork } from './feature-network';

export interface InversionWeights {
  tvWeight: number;
  rangeWeight: number;
}

export interface InversionParts {
  /** Relative feature error (0 = same features; ~1 = as far as zero is). */
  feature: number;
  tv: number;
  range: number;
}

export interface InversionObjective {
  /** The weighted total as a function of `x` ([1, H, W, 3], the source's size). Differentiable; the caller owns
   *  each result. */
  loss(weights: InversionWeights): ImageLoss;
  /** The unweighted terms, for reports and tests. */
  parts(x: tf.Tensor4D): Promise<InversionParts>;
  dispose(): void;
}

/** Mean squared distance of each value from [0, 1] (0 inside the box). */
export function outOfRange(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.add(tf.relu(tf.neg(x)), tf.relu(tf.sub(x, 1))))) as tf.Scalar);
}

/** The target φ(source) is computed once, here; `source` is not kept nor disposed. */
export function createInversionObjective(network: FeatureNetwork, layer: string, source: tf.Tensor4D): InversionObjective {
  if (!network.layers.includes(layer) && layer !== network.firstLayer) throw new Error(`${network.name}: layer ${layer} is not offered (${network.layers.join(', ')})`);
  const target: LossTarget = makeTarget(tf.tidy(() => network.features(source, layer)));
  const terms = (x: tf.Tensor4D) => ({
    feature: relativeSquaredError(network.features(x, layer), target.value, target.meanSquare),
    tv: totalVariation(x),
    range: outOfRange(x),
  });
  return {
    loss: (weights) => (x) =>
      tf.tidy(() => {
        const t = terms(x);
        return tf.addN([t.feature, tf.mul(t.tv, weights.tvWeight), tf.mul(t.range, weights.rangeWeight)]) as tf.Scalar;
      }),
    async parts(x) {
      const stacked = tf.tidy(() => {
        const t = terms(x);
        return tf.stack([t.feature, t.tv, t.range]);
      });
      try {
        const [feature, tv, range] = await stacked.data();
        return { feature, tv, range };
      } finally {
        stacked.dispose();
      }
    },
    dispose: () => disposeTarget(target),
  };
}
