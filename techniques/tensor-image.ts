// Conversions between RgbaImage (what crosses boundaries) and tensors (what techniques compute on).
// Techniques work on RGB in 0..1; alpha is carried around them untouched so transparent pixels stay transparent.
import * as tf from '@tensorflow/tfjs';
import { createRgbaImage, type RgbaImage } from './image';

/** RGB in 0..1, shape [1, H, W, 3], and the alpha channel in 0..1, shape [H, W, 1]. */
export function splitRgbAlpha(image: RgbaImage): { rgb: tf.Tensor4D; alpha: tf.Tensor3D } {
  return tf.tidy(() => {
    const rgba = tf.tensor3d(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length), [image.height, image.width, 4], 'int32').toFloat().div(255);
    const [rgb, alpha] = tf.split(rgba, [3, 1], 2) as [tf.Tensor3D, tf.Tensor3D];
    return { rgb: rgb.expandDims(0) as tf.Tensor4D, alpha };
  });
}

/** Joins RGB [1,H,W,3] (0..1, clipped) and alpha [H,W,1] back into an RgbaImage. Disposes nothing. */
export async function joinRgbAlpha(rgb: tf.Tensor4D, alpha: tf.Tensor3D): Promise<RgbaImage> {
  const [, height, width] = rgb.shape;
  const rgba = tf.tidy(() =>
    tf.concat([rgb.squeeze([0]), alpha], 2).clipByValue(0, 1).mul(255).round().toInt(),
  );
  try {
    const data = await rgba.data();
    return createRgbaImage(width, height, Uint8ClampedArray.from(data as Int32Array));
  } finally {
    rgba.dispose();
  }
}

/** Runs a function of RGB (0..1) on an image and keeps its alpha; the function owns no tensor it returns to us. */
export async function mapRgb(image: RgbaImage, transform: (rgb: tf.Tensor4D) => tf.Tensor4D): Promise<RgbaImage> {
  const { rgb, alpha } = splitRgbAlpha(image);
  try {
    const result = tf.tidy(() => transform(rgb));
    try {
      return await joinRgbAlpha(result, alpha);
    } finally {
      result.dispose();
    }
  } finally {
    rgb.dispose();
    alpha.dispose();
  }
}

/** `original` and `effect` mixed: amount 1 = the effect alone, 0 = the original. Inside a tidy. */
export function mixImages(original: tf.Tensor4D, effect: tf.Tensor4D, amount: number): tf.Tensor4D {
  return amount === 1 ? effect : original.mul(1 - amount).add(effect.mul(amount));
}
