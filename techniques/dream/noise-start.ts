// A dream that starts from noise (a feature visualisation, lecture 12's "visualizing what a unit looks for"): Adam
// on the Fourier coefficients of fourier-image.ts, the objective measured on a randomly transformed view each step
// (robustness.ts). Wrapped as an ImageOptimizer so the shared loop runs it like any other optimisation.
import * as tf from '@tensorflow/tfjs';
import type { ImageOptimizer } from '../optimize/image-optimizer';
import type { Random } from '../random';
import { tfSeed } from '../random';
import { createFourierImage } from './fourier-image';
import type { ResolvedObjective } from './objective';
import { type RobustnessOptions, randomlyTransform } from './robustness';

export interface NoiseDreamOptions {
  random: Random;
  /** Adam's step on the coefficients (Lucid: 0.05). */
  learningRate: number;
  robustness: RobustnessOptions;
}

/** step() resolves to −objective (of the transformed view, before the update); evaluated() renders the current image. */
export function createNoiseDream(objective: ResolvedObjective, height: number, width: number, options: NoiseDreamOptions): ImageOptimizer {
  const image = createFourierImage(height, width, tfSeed(options.random));
  const optimizer = tf.train.adam(options.learningRate, 0.9, 0.999, 1e-8);
  let rendered: tf.Tensor4D | null = null;
  return {
    async step() {
      rendered?.dispose();
      rendered = null;
      const cost = optimizer.minimize(
        () => tf.neg(objective.value(randomlyTransform(image.render(), options.robustness, options.random))) as tf.Scalar,
        true,
        image.variables,
      )!;
      try {
        return (await cost.data())[0];
      } finally {
        cost.dispose();
      }
    },
    evaluated() {
      rendered ??= image.render();
      return rendered;
    },
    done: false,
    dispose() {
      rendered?.dispose();
      optimizer.dispose();
      image.dispose();
    },
  };
}
