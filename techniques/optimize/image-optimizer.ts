// One interface over the optimizers of an image, so a technique's loop (previews, cancel, finish early,
// best-so-far) is written once (optimization-loop.ts). Two kinds of image state:
// - a tensor (ImageOptimizer<tf.Tensor4D>): the objective is a TF.js function of the whole image (inversion,
//   DeepDream); L-BFGS keeps a flat Float32Array and shows it as a tensor, Adam keeps a tf.Variable;
// - a flat Float32Array (ImageOptimizer<Float32Array>): the objective is given as f(x) and ∇f(x) on the flat
//   pixel vector and never holds the whole image's activations (the tiled Gatys and texture objectives); no
//   image-sized tensor exists at all, which is what keeps those jobs' peak at one tile's whatever the size.
import * as tf from '@tensorflow/tfjs';
import { createLbfgs, type LbfgsOptions, type ValueAndGradient } from './lbfgs';
import { flatValueAndGradient, type ImageLoss } from './image-objective';

export interface ImageOptimizer<Image = tf.Tensor4D> {
  /** One iteration. Resolves to the loss of the image `evaluated()` returns now. */
  step(): Promise<number>;
  /**
   * The image whose loss the last step reported (borrowed: valid until the next step or dispose). A flat image is
   * never mutated afterwards: the optimizer replaces its arrays, so keeping one is keeping the reference.
   */
  evaluated(): Image;
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

/** L-BFGS over the pixels, unconstrained (a box would break its curvature model); callers clip the result. The
 *  start is read once, asynchronously (a synchronous read stalls a GPU backend's queue: seconds on WebGPU). */
export async function createLbfgsImageOptimizer(loss: ImageLoss, init: tf.Tensor4D, options: LbfgsOptions = {}): Promise<ImageOptimizer> {
  const shape = init.shape as [number, number, number, number];
  const flat = createFlatLbfgsOptimizer(flatValueAndGradient(loss, shape), Float32Array.from(await init.data()), options);
  const view = tensorView(shape);
  return {
    step: () => flat.step(),
    evaluated: () => view.of(flat.evaluated()),
    get done() {
      return flat.done;
    },
    dispose: view.dispose,
  };
}

/**
 * L-BFGS over an objective already written as f(x) and ∇f(x) on the flat pixel vector: for objectives that never
 * hold the whole image's activations at once (the tiled Gatys and texture objectives).
 */
export function createFlatLbfgsOptimizer(f: ValueAndGradient, x0: Float32Array, options: LbfgsOptions = {}): ImageOptimizer<Float32Array> {
  const lbfgs = createLbfgs(f, x0, options);
  let done = false;
  return {
    async step() {
      const result = await lbfgs.step();
      done = result.converged;
      return result.value;
    },
    evaluated: () => lbfgs.x, // replaced by each step, never mutated
    get done() {
      return done;
    },
    dispose() {},
  };
}

/**
 * Adam (Kingma & Ba 2015, with TF.js's update: bias-corrected moments, ε added to √v̂) over an objective given as
 * f(x) and ∇f(x) on the flat pixel vector: the same steps as createAdamImageOptimizer for objectives that never
 * hold the whole image's activations at once. The moments are plain arrays: no image-sized tensors per step.
 */
export function createFlatAdamOptimizer(f: ValueAndGradient, x0: Float32Array, options: AdamOptions): ImageOptimizer<Float32Array> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const m = new Float32Array(x0.length);
  const v = new Float32Array(x0.length);
  let x = Float32Array.from(x0);
  let before: Float32Array | null = null;
  let t = 0;
  return {
    async step() {
      const { value, gradient } = await f(x);
      t++;
      const correct1 = 1 - beta1 ** t;
      const correct2 = 1 - beta2 ** t;
      const next = new Float32Array(x.length);
      const [low, high] = options.clip ?? [-Infinity, Infinity];
      for (let i = 0; i < x.length; i++) {
        const g = gradient[i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        const stepped = x[i] - (options.learningRate * (m[i] / correct1)) / (Math.sqrt(v[i] / correct2) + epsilon);
        next[i] = stepped < low ? low : stepped > high ? high : stepped;
      }
      before = x; // the value reported is that of the image before its update, as minimize() reports it
      x = next;
      return value;
    },
    evaluated: () => before ?? x,
    done: false,
    dispose() {},
  };
}

/** A tensor of the latest flat image asked for, made once per array (the arrays are replaced, never mutated). */
function tensorView(shape: [number, number, number, number]): { of(x: Float32Array): tf.Tensor4D; dispose(): void } {
  let cached: tf.Tensor4D | null = null;
  let cachedFor: Float32Array | null = null;
  return {
    of(x) {
      if (cachedFor !== x) {
        cached?.dispose();
        cached = tf.tensor4d(x, shape);
        cachedFor = x;
      }
      return cached!;
    },
    dispose() {
      cached?.dispose();
      cached = null;
      cachedFor = null;
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
