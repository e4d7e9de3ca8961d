// Augmented copies of an image for the "find similar" and t-SNE tests: mirrored, cropped to 80% of each side at a
// seeded offset, and hue-rotated (YIQ rotation, so luminance is kept). Plain pixel work, no TF.js.
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { seededRandom } from '../../techniques/random';

export function flipHorizontal(image: RgbaImage): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = (y * width + (width - 1 - x)) * 4;
      out.set(data.subarray(from, from + 4), to);
    }
  }
  return createRgbaImage(width, height, out);
}

/** The window of `fraction` × each side whose top-left corner is at (u, v) ∈ [0, 1]² of the free space. */
export function crop(image: RgbaImage, fraction: number, u: number, v: number): RgbaImage {
  const width = Math.max(1, Math.round(image.width * fraction));
  const height = Math.max(1, Math.round(image.height * fraction));
  const left = Math.round((image.width - width) * u);
  const top = Math.round((image.height - height) * v);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    out.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return createRgbaImage(width, height, out);
}

/** Hue rotated by `degrees` (rotation of the I/Q chroma plane of YIQ; Y unchanged). */
export function hueShift(image: RgbaImage, degrees: number): RgbaImage {
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  const out = new Uint8ClampedArray(image.data.length);
  for (let p = 0; p < image.data.length; p += 4) {
    const r = image.data[p];
    const g = image.data[p + 1];
    const b = image.data[p + 2];
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    const i = 0.596 * r - 0.274 * g - 0.322 * b;
    const q = 0.211 * r - 0.523 * g + 0.312 * b;
    const i2 = i * cos - q * sin;
    const q2 = i * sin + q * cos;
    out[p] = y + 0.956 * i2 + 0.621 * q2;
    out[p + 1] = y - 0.272 * i2 - 0.647 * q2;
    out[p + 2] = y - 1.106 * i2 + 1.703 * q2;
    out[p + 3] = image.data[p + 3];
  }
  return createRgbaImage(image.width, image.height, out);
}

/** Flipped, cropped to 80% at a seeded offset, hue-rotated by a seeded 20..60° (either way). */
export function augment(image: RgbaImage, seed: number): RgbaImage {
  const random = seededRandom(seed);
  const u = random();
  const v = random();
  const degrees = (20 + 40 * random()) * (random() < 0.5 ? -1 : 1);
  return hueShift(crop(flipHorizontal(image), 0.8, u, v), degrees);
}

