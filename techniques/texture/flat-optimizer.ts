// L-BFGS as an ImageOptimizer (what runOptimizationLoop drives) over an objective that is already written as f(x)
// and ∇f(x) on the flat pixel vector. createLbfgsImageOptimizer takes a TF.js loss of the whole image tensor, which
// the tiled texture objective cannot be (it never holds the whole image's activations); the bookkeeping is the same.
import * as tf from '@tensorflow/tfjs';
import type { ImageOptimizer } from '../optimize/image-optimizer';
import { createLbfgs, type LbfgsOptions, type ValueAndGradient } from '../optimize/lbfgs';

export function createFlatLbfgsOptimizer(f: ValueAndGradient, x0: Float32Array, shape: [number, number, number, number], options: LbfgsOptions = {}): ImageOptimizer {
  const lbfgs = createLbfgs(f, x0, options);
  let cached: tf.Tensor4D | null = null;
  let cachedFor: Float32Array | null = null;
  let done = false;
  return {
    async step() {
      const result = await lbfgs.step();
      done = result.converged;
      return result.value;
    },
    evaluated() {
      if (cachedFor !== lbfgs.x) {
        cached?.dispose();
        cached = tf.tensor4d(lbfgs.x, shape);
        cachedFor = lbfgs.x;
      }
      return cached!;
    },
    get done() {
      return done;
    },
    dispose() {
      cached?.dispose();
      cached = null;
    },
  };
}
