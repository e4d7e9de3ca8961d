// One interface over the two optimizers of an image, so a technique's loop (previews, cancel, finish early,
// best-so-far) is written once. L-BFGS keeps the image as a flat Float32Array; Adam keeps it in a tf.Variable.
import * as tf from '@tensorflow/tfjs';
import { createLbfgs, type LbfgsOptions, type ValueAndGradient } from './lbfgs';
import { flatValueAndGradient, type ImageLoss } from './image-objective';

export interface ImageOptimizer {
  /** One iteration. Resolves to the loss of the image `evaluated()` returns now. */
  step(): Promise<number>;
  /** The image whose loss the last step reported (borrowed: valid until the next step or dispose). */
  evaluated(): tf.Tensor4D;
  /** True when further steps cannot improve (L-BFGS converged or stuck). */
  readonly done: boolean;
  dispose(): void;
}

export interface AdamOptions {
  /** Step size on the pixel scale (0..1 images: 0.01 to 0.05 is sensible). */
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Explicit: tf.train.adam would otherwise take the backend's epsilon (1e-4 on WebGL, 1e-7 elsewhere). */
  epsilon?: number;
  /** Project the image back into this range after each step (pixels stay displayable). */
  clip?: [number, number];
}

/** L-BFGS over the pixels, unconstrained (a box would break its curvature model); callers clip the result. */
export function createLbfgsImageOptimizer(loss: ImageLoss, init: tf.Tensor4D, options: LbfgsOptions = {}): ImageOptimizer {
  const shape = init.shape as [number, number, number, number];
  return createFlatLbfgsOptimizer(flatValueAndGradient(loss, shape), Float32Array.from(init.dataSync()), shape, options);
}

/**
 * L-BFGS over an objective already written as f(x) and ∇f(x) on the flat pixel vector of an image of `shape`: for
 * objectives that never hold the whole image's activations at once (the tiled texture objective).
 */
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

/** Adam on a tf.Variable holding the image (stays on the backend: no read-back of the image per step). */
export function createAdamImageOptimizer(loss: ImageLoss, init: tf.Tensor4D, options: AdamOptions): ImageOptimizer {
  // tf.variable shares its argument's data and leaves the argument's tensor counted: hand it a clone and dispose
  // that clone at once (the variable keeps the data alive). Passing tf.clone(init) inline leaked one tensor per run.
  const initial = tf.clone(init);
  const image = tf.variable(initial as tf.Tensor4D, true);
  initial.dispose();
  const optimizer = tf.train.adam(options.learningRate, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
  let before: tf.Tensor4D | null = null;
  return {
    async step() {
      before?.dispose();
      before = tf.clone(image) as tf.Tensor4D; // minimize() reports the loss of the image *before* its update
      const cost = optimizer.minimize(() => loss(image as unknown as tf.Tensor4D), true, [image]);
      if (options.clip) {
        const clipped = tf.clipByValue(image, options.clip[0], options.clip[1]);
        image.assign(clipped); // the variable now shares clipped's data; the tensor object itself must go
        clipped.dispose();
      }
      try {
        return (await cost!.data())[0];
      } finally {
        cost!.dispose();
      }
    },
    evaluated() {
      return before ?? (image as unknown as tf.Tensor4D);
    },
    done: false,
    dispose() {
      before?.dispose();
      optimizer.dispose();
      image.dispose();
    },
  };
}
