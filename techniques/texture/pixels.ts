// The texture code's working format: RGB floats in 0..1, three per pixel, row-major (the layout of a
// [1, H, W, 3] tensor), so images move between L-BFGS (a flat vector), tiles and TF.js without reshuffling.
// Texture outputs are fully opaque: a texture fills its frame.
import { packRgba, type RgbaImage } from '../image';

export interface RgbFloatImage {
  width: number;
  height: number;
  /** width * height * 3 values in 0..1. */
  rgb: Float32Array;
}

/** RGB of an RgbaImage (alpha ignored) as floats in 0..1. */
export function toRgbFloat(image: RgbaImage): RgbFloatImage {
  const count = image.width * image.height;
  const rgb = new Float32Array(count * 3);
  const d = image.data;
  for (let p = 0; p < count; p++) {
    rgb[p * 3] = d[p * 4] / 255;
    rgb[p * 3 + 1] = d[p * 4 + 1] / 255;
    rgb[p * 3 + 2] = d[p * 4 + 2] / 255;
  }
  return { width: image.width, height: image.height, rgb };
}

/** Floats (clipped to 0..1) to an opaque RgbaImage. */
export function toOpaqueRgba(rgb: ArrayLike<number>, width: number, height: number): RgbaImage {
  return packRgba(rgb, new Uint8ClampedArray(width * height).fill(255), width, height);
}

/** A rectangle of an RGB float image (no wrap-around). */
export function cropRgbFloat(image: RgbFloatImage, x: number, y: number, width: number, height: number): RgbFloatImage {
  const rgb = new Float32Array(width * height * 3);
  for (let j = 0; j < height; j++) {
    const from = ((y + j) * image.width + x) * 3;
    rgb.set(image.rgb.subarray(from, from + width * 3), j * width * 3);
  }
  return { width, height, rgb };
}
