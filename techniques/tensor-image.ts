// Conversions between RgbaImage (what crosses boundaries) and tensors (what techniques compute on).
// Techniques work on RGB in 0..1; alpha is carried around them untouched so transparent pixels stay transparent.
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from './errors';
import { createRgbaImage, type RgbaImage } from './image';
import { silentContext, type JobContext } from './job';

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

/** Pixels a band of mapRgb holds: ~1 M pixels is ~16 MB a float tensor, whatever the image's size. */
export const BAND_PIXELS = 1 << 20;

/**
 * Runs a POINTWISE function of RGB (0..1) over an image, keeping its alpha. Band by band (whole rows, about
 * BAND_PIXELS at a time): memory is one band's whatever the image's size (an 8192² image as one tensor aborts WASM's
 * 4 GB heap), and a cancel is honoured between bands. Only for functions of each pixel alone: a band does not see
 * its neighbours.
 */
export async function mapRgb(
  image: RgbaImage,
  transform: (rgb: tf.Tensor4D) => tf.Tensor4D,
  context: Pick<JobContext, 'signal' | 'onProgress'> = silentContext(),
): Promise<RgbaImage> {
  const { width, height } = image;
  const out = createRgbaImage(width, height);
  const rows = Math.max(1, Math.floor(BAND_PIXELS / width));
  for (let top = 0; top < height; top += rows) {
    throwIfAborted(context.signal);
    const bandHeight = Math.min(rows, height - top);
    const band = createRgbaImage(width, bandHeight, image.data.subarray(top * width * 4, (top + bandHeight) * width * 4));
    const { rgb, alpha } = splitRgbAlpha(band);
    try {
      const result = tf.tidy(() => transform(rgb));
      try {
        out.data.set((await joinRgbAlpha(result, alpha)).data, top * width * 4);
      } finally {
        result.dispose();
      }
    } finally {
      rgb.dispose();
      alpha.dispose();
    }
    context.onProgress({ fraction: (top + bandHeight) / height });
  }
  return out;
}

/** `original` and `effect` mixed: amount 1 = the effect alone, 0 = the original. Inside a tidy. */
export function mixImages(original: tf.Tensor4D, effect: tf.Tensor4D, amount: number): tf.Tensor4D {
  return amount === 1 ? effect : original.mul(1 - amount).add(effect.mul(amount));
}
