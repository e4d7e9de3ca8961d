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

/**
 * `image` shrunk by a whole factor (the smallest that brings its longest side to at most `maxSide`), each output
 * pixel the alpha-weighted mean of its block; `image` itself when it already fits. For views much smaller than their
 * source (a 224 px classifier input from a 9000² photo): plain arrays the size of the output, so a huge image never
 * becomes a tensor (9000² as float32 RGB alone is 0.97 GB, past what WASM's heap gives).
 */
export function shrinkToFit(image: RgbaImage, maxSide: number): RgbaImage {
  const factor = Math.ceil(Math.max(image.width, image.height) / maxSide);
  if (factor <= 1) return image;
  const width = Math.ceil(image.width / factor);
  const height = Math.ceil(image.height / factor);
  const out = new Uint8ClampedArray(width * height * 4);
  const src = image.data;
  for (let oy = 0; oy < height; oy++) {
    const y1 = Math.min(image.height, (oy + 1) * factor);
    for (let ox = 0; ox < width; ox++) {
      const x1 = Math.min(image.width, (ox + 1) * factor);
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let n = 0;
      for (let y = oy * factor; y < y1; y++) {
        for (let x = ox * factor, i = (y * image.width + x) * 4; x < x1; x++, i += 4) {
          const alpha = src[i + 3];
          r += src[i] * alpha;
          g += src[i + 1] * alpha;
          b += src[i + 2] * alpha;
          a += alpha;
          n++;
        }
      }
      const o = (oy * width + ox) * 4;
      if (a > 0) {
        out[o] = r / a;
        out[o + 1] = g / a;
        out[o + 2] = b / a;
      }
      out[o + 3] = a / n;
    }
  }
  return { width, height, data: out };
}
