// The one pixel format that crosses boundaries: straight (not premultiplied) RGBA, 8 bits, row-major.
// Plain data, no DOM and no TF.js, so the sandbox double, the CLI and the engine all speak it.
import { PasticheError } from './errors';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray; // width * height * 4
}

export function createRgbaImage(width: number, height: number, data?: Uint8ClampedArray): RgbaImage {
  const pixels = data ?? new Uint8ClampedArray(width * height * 4);
  if (pixels.length !== width * height * 4) {
    throw new RangeError(`RGBA buffer of ${pixels.length} bytes does not fit ${width}x${height}`);
  }
  return { width, height, data: pixels };
}

/** Throws a typed 'bad-input' error for an image of no pixels ("The style layer is empty (0 px)."). */
export function assertNotEmpty(image: RgbaImage, what: string): RgbaImage {
  if (!(image.width >= 1 && image.height >= 1)) throw new PasticheError('bad-input', `${what} is empty (0 px).`);
  return image;
}

/** RGB floats (0..1, three per pixel; out-of-range values clamp) and alpha bytes packed into an RgbaImage. */
export function packRgba(rgb: ArrayLike<number>, alpha: ArrayLike<number>, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data[p * 4] = Math.round(rgb[p * 3] * 255);
    data[p * 4 + 1] = Math.round(rgb[p * 3 + 1] * 255);
    data[p * 4 + 2] = Math.round(rgb[p * 3 + 2] * 255);
    data[p * 4 + 3] = alpha[p];
  }
  return createRgbaImage(width, height, data);
}

/** A copy of the `width` × `height` region of `image` whose top-left pixel is (left, top) (inside the image). */
export function cropRgba(image: RgbaImage, left: number, top: number, width: number, height: number): RgbaImage {
  if (left < 0 || top < 0 || left + width > image.width || top + height > image.height || width < 1 || height < 1) {
    throw new RangeError(`crop ${width}x${height}+${left}+${top} outside ${image.width}x${image.height}`);
  }
  const out = createRgbaImage(width, height);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    out.data.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return out;
}

/**
 * The centred square of the image (side = its shorter side), cropped BEFORE any resampling: scaling a 1 × 20000 image
 * so its short side is 256 px first would allocate 256 × 5 120 000 pixels (15 GB) to keep 256 × 256 of them.
 */
export function centreSquare(image: RgbaImage): RgbaImage {
  const side = Math.min(image.width, image.height);
  if (side === image.width && side === image.height) return image;
  return cropRgba(image, Math.floor((image.width - side) / 2), Math.floor((image.height - side) / 2), side, side);
}
