// Transformation robustness for dreams from noise (Lucid's standard_transforms): before every step the image is
// padded, shifted, scaled and rotated by small random amounts, so the optimiser can only keep what the network
// sees under all of them — features instead of pixel-exact adversarial noise. Differentiable: padding, cropping
// and bilinear scaling have TF.js gradients; rotation (nearest-neighbour RotateWithOffset, which has none) gets the
// inverse rotation as its gradient (its adjoint up to resampling).
import * as tf from '@tensorflow/tfjs';
import { type Random, randomInt } from '../random';

export interface RobustnessOptions {
  /** Constant (grey 0.5) padding on every side, px. */
  pad: number;
  /** Random crop by up to this many px before scaling, and `jitterAfter` px after rotating. */
  jitter: number;
  jitterAfter: number;
  /** Scale factors drawn uniformly from [1 − scale, 1 + scale]. */
  scale: number;
  /** Rotation in degrees drawn uniformly from [−rotate, rotate]. */
  rotate: number;
}

/** Lucid's values for 128 to 224 px images. */
export const LUCID_ROBUSTNESS: RobustnessOptions = { pad: 12, jitter: 8, jitterAfter: 4, scale: 0.1, rotate: 10 };

function randomCrop(x: tf.Tensor4D, by: number, random: Random): tf.Tensor4D {
  if (by <= 0) return x;
  const [, h, w] = x.shape;
  return tf.slice(x, [0, randomInt(random, 0, by), randomInt(random, 0, by), 0], [1, h - by, w - by, 3]);
}

function rotate(x: tf.Tensor4D, radians: number): tf.Tensor4D {
  if (radians === 0) return x;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    save([]);
    return {
      value: tf.image.rotateWithOffset(input, radians, 0.5),
      gradFunc: (dy: tf.Tensor) => tf.image.rotateWithOffset(dy as tf.Tensor4D, -radians, 0),
    };
  });
  return op(x) as tf.Tensor4D;
}

/** A random transform of `image` [1,H,W,3]; differentiable. Call inside a tidy / gradient. */
export function randomlyTransform(image: tf.Tensor4D, options: RobustnessOptions, random: Random): tf.Tensor4D {
  let x = options.pad > 0 ? (tf.pad(image, [[0, 0], [options.pad, options.pad], [options.pad, options.pad], [0, 0]], 0.5) as tf.Tensor4D) : image;
  x = randomCrop(x, options.jitter, random);
  const s = 1 + (random() * 2 - 1) * options.scale;
  if (s !== 1) {
    const [, h, w] = x.shape;
    x = tf.image.resizeBilinear(x, [Math.max(8, Math.round(h * s)), Math.max(8, Math.round(w * s))]);
  }
  x = rotate(x, (((random() * 2 - 1) * options.rotate) / 180) * Math.PI);
  return randomCrop(x, options.jitterAfter, random);
}
