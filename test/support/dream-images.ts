// Images and contexts for the DeepDream tests: the bundled photo at a small size, with or without a shaped alpha.
import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../../techniques/image';
import { joinRgbAlpha, splitRgbAlpha } from '../../techniques/tensor-image';
import { readAsset } from './assets';

/** The bundled photo resized to width x height (bilinear), opaque. */
export async function photo(width: number, height: number, name = 'chelsea'): Promise<RgbaImage> {
  const { rgb, alpha } = splitRgbAlpha(readAsset('content', name));
  const small = tf.image.resizeBilinear(rgb, [height, width], true) as tf.Tensor4D;
  const opaque = tf.ones([height, width, 1]) as tf.Tensor3D;
  try {
    return await joinRgbAlpha(small, opaque);
  } finally {
    tf.dispose([rgb, alpha, small, opaque]);
  }
}

/** RGB [1,H,W,3] in 0..1 of an RgbaImage (caller disposes). */
export function rgbOf(image: RgbaImage): tf.Tensor4D {
  const { rgb, alpha } = splitRgbAlpha(image);
  alpha.dispose();
  return rgb;
}

/** A copy of `image` whose alpha is 255 inside a centred disc of radius r, 0 outside, with a 2 px soft rim. */
export function withDiscAlpha(image: RgbaImage, radius: number): RgbaImage {
  const data = Uint8ClampedArray.from(image.data);
  const cx = image.width / 2;
  const cy = image.height / 2;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      data[(y * image.width + x) * 4 + 3] = Math.round(255 * Math.min(1, Math.max(0, (radius - d) / 2)));
    }
  }
  return { width: image.width, height: image.height, data };
}

export function quietContext(signal = new AbortController().signal, finishEarly?: AbortSignal) {
  return { signal, finishEarly, onProgress: () => undefined };
}
