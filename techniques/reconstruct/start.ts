// What an inversion starts from and aims at, as tensors: the seeded noise start and the resampled source.
import * as tf from '@tensorflow/tfjs';
import { seededRandom, tfSeed } from '../random';
import type { RgbAlphaPlanes } from '../style/fast-resample';

/** Seeded uniform noise in 0.5 ± amplitude/2, [1, H, W, 3]. */
export function noiseStart(shape: [number, number, number, number], seed: number, amplitude: number): tf.Tensor4D {
  const half = amplitude / 2;
  return tf.randomUniform(shape, 0.5 - half, 0.5 + half, 'float32', tfSeed(seededRandom(seed))) as tf.Tensor4D;
}

export function planesToRgb(planes: RgbAlphaPlanes): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(planes.rgb), [1, planes.height, planes.width, 3]), 255) as tf.Tensor4D);
}

/** `x` enlarged (or reduced) to `size`, bilinear with half-pixel centres; a copy when it is that size. New tensor. */
export function resizeTo(x: tf.Tensor4D, size: { width: number; height: number }): tf.Tensor4D {
  if (x.shape[1] === size.height && x.shape[2] === size.width) return tf.clone(x);
  return tf.tidy(() => tf.image.resizeBilinear(x, [size.height, size.width], false, true));
}
