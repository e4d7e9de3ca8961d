// Test images for the page: the verified photos and paintings fetched from /images/, as float tensors in 0..1,
// and synthetic RGBA images for the jobs (timing does not depend on the content, only on the size).
import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../../techniques/image';

/** An image URL decoded by the browser (the bench server maps /images/ to .cache/images). */
export async function loadImage(url: string): Promise<RgbaImage> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bitmap = await createImageBitmap(await response.blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: bitmap.width, height: bitmap.height, data: new Uint8ClampedArray(pixels.data) };
}

/** [1,H,W,3] RGB in 0..1 of an image (alpha dropped). */
export function rgbTensor(image: RgbaImage): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.browser.fromPixels(new ImageData(image.data as Uint8ClampedArray<ArrayBuffer>, image.width, image.height), 3), 255).expandDims(0) as tf.Tensor4D);
}

/** [1,H,W,3] RGB in 0..1 of an image URL. */
export async function loadImageTensor(url: string): Promise<tf.Tensor4D> {
  return rgbTensor(await loadImage(url));
}

/** Centre square crop, bilinear resize to side x side: the one image both implementations are fed. */
export function squareResize(image: tf.Tensor4D, side: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = image.shape;
    const s = Math.min(h, w);
    const crop = tf.slice(image, [0, Math.floor((h - s) / 2), Math.floor((w - s) / 2), 0], [1, s, s, 3]);
    return tf.image.resizeBilinear(crop as tf.Tensor4D, [side, side], false);
  });
}

/** A smooth colour pattern with some detail, opaque: a stand-in for a designer's layer. */
export function syntheticImage(side: number): RgbaImage {
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 4;
      data[i] = (x * 255) / side;
      data[i + 1] = (y * 255) / side;
      data[i + 2] = 128 + 127 * Math.sin((x + y) / 9);
      data[i + 3] = 255;
    }
  }
  return { width: side, height: side, data };
}
