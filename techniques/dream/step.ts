// One DeepDream step as an ImageOptimizer, so the shared optimisation loop runs it (previews, cancel, stop and
// keep): the lecture's gradient ascent on the pixels with its three tricks. Jitter: the image is shifted
// circularly by up to `jitter` px before the gradient and the gradient shifted back (the network's stride grid
// never sits still, so no checkerboard builds up). Normalised ascent: the step is the gradient divided by its mean
// absolute value times `stepSize`, so every step moves pixels by the same average amount whatever the layer's
// scale. Clipping: pixels stay in [0, 1]. An optional soft mask (the element's alpha) multiplies the step.
import * as tf from '@tensorflow/tfjs';
import type { ImageOptimizer } from '../optimize/image-optimizer';
import { type Random, randomInt } from '../random';
import { roll } from './image-ops';
import type { ResolvedObjective } from './objective';
import { objectiveGradient } from './tiled-gradient';

export interface DreamStepOptions {
  /** Mean |change| of a pixel per step, on the 0..1 scale (before clipping). */
  stepSize: number;
  /** Largest circular shift, px, drawn uniformly in [−jitter, jitter] on each axis every step. */
  jitter: number;
  /** Longest side of one network pass; larger images are tiled (tiled-gradient.ts). */
  maxPassSize: number;
  random: Random;
  /** [1,H,W,1] in 0..1: where the image may change (borrowed, not disposed). */
  mask?: tf.Tensor4D;
}

export interface DreamStep extends ImageOptimizer {
  /** The objective (not its negation) measured on the jittered image of the last step. */
  readonly lastObjective: number;
  /** The last step's circular shift [dy, dx] and tile grid offset [y, x] (for tests and measurements). */
  readonly lastShift: readonly [number, number];
  readonly lastGridOffset: readonly [number, number];
}

/** f(t), then t disposed. */
function consume<T extends tf.Tensor>(t: tf.Tensor4D, f: (t: tf.Tensor4D) => T): T {
  try {
    return f(t);
  } finally {
    t.dispose();
  }
}

/**
 * An ascent optimizer over `init` (copied). step() resolves to −objective (the loop minimises a loss) measured on
 * the image before the step; evaluated() is the image after it (the loop's keep:'last' keeps the newest image).
 */
export function createDreamStep(objective: ResolvedObjective, init: tf.Tensor4D, options: DreamStepOptions): DreamStep {
  let image = tf.clone(init);
  let lastObjective = NaN;
  let lastShift: [number, number] = [0, 0];
  let lastGridOffset: [number, number] = [0, 0];
  const maskArea = options.mask ? tf.tidy(() => tf.mul(tf.sum(options.mask!), 3)) : null;
  return {
    async step() {
      const dy = randomInt(options.random, -options.jitter, options.jitter);
      const dx = randomInt(options.random, -options.jitter, options.jitter);
      const gridOffset: [number, number] = [Math.floor(options.random() * options.maxPassSize), Math.floor(options.random() * options.maxPassSize)];
      lastShift = [dy, dx];
      lastGridOffset = gridOffset;
      const rolled = roll(image, dy, dx);
      let value: tf.Scalar;
      let gradient: tf.Tensor4D;
      try {
        ({ value, gradient } = objectiveGradient(objective, rolled, { maxPassSize: options.maxPassSize, gridOffset }));
      } finally {
        rolled.dispose();
      }
      // The update, one image-sized temporary at a time (a 4096 px image is 134 MB a tensor; one tidy around it all
      // kept six alive at once).
      let g = consume(gradient, (t) => roll(t, -dy, -dx));
      if (options.mask) g = consume(g, (t) => tf.mul(t, options.mask!) as tf.Tensor4D);
      const masked = g;
      const scale = tf.tidy(() => {
        const meanAbs = options.mask ? tf.div(tf.sum(tf.abs(masked)), tf.maximum(maskArea!, 1e-6)) : tf.mean(tf.abs(masked));
        return tf.div(options.stepSize, tf.add(meanAbs, 1e-12));
      });
      const delta = consume(g, (t) => tf.mul(t, scale) as tf.Tensor4D);
      scale.dispose();
      const next = consume(
        consume(delta, (t) => tf.add(image, t) as tf.Tensor4D),
        (t) => tf.clipByValue(t, 0, 1),
      );
      image.dispose();
      image = next;
      try {
        lastObjective = (await value.data())[0];
      } finally {
        value.dispose();
      }
      return -lastObjective;
    },
    evaluated: () => image,
    done: false,
    get lastObjective() {
      return lastObjective;
    },
    get lastShift() {
      return lastShift;
    },
    get lastGridOffset() {
      return lastGridOffset;
    },
    dispose() {
      image.dispose();
      maskArea?.dispose();
    },
  };
}
