// Resampling on the CPU side, in plain typed arrays: a 4096 px image never becomes one big tensor (the fast
// path keeps at most one tile on the backend). Separable triangle filter widened when shrinking (like Pillow's
// bilinear), so downscaling averages instead of aliasing; colour is filtered premultiplied by alpha so that
// transparent pixels' meaningless RGB does not bleed into visible edges.
import type { RgbaImage } from '../image';

/** RGB, 3 bytes a pixel, row-major, plus the alpha channel, 1 byte a pixel. */
export interface RgbAlphaPlanes {
  width: number;
  height: number;
  rgb: Uint8ClampedArray;
  alpha: Uint8ClampedArray;
}

/** Splits an RgbaImage into RGB and alpha planes without resampling (alpha bytes copied exactly). */
export function toPlanes(image: RgbaImage): RgbAlphaPlanes {
  const count = image.width * image.height;
  const rgb = new Uint8ClampedArray(count * 3);
  const alpha = new Uint8ClampedArray(count);
  const d = image.data;
  for (let p = 0; p < count; p++) {
    rgb[p * 3] = d[p * 4];
    rgb[p * 3 + 1] = d[p * 4 + 1];
    rgb[p * 3 + 2] = d[p * 4 + 2];
    alpha[p] = d[p * 4 + 3];
  }
  return { width: image.width, height: image.height, rgb, alpha };
}

/** The image resampled to width x height, as planes. Same size: a plain split (alpha unchanged). */
export function resampleToPlanes(image: RgbaImage, width: number, height: number): RgbAlphaPlanes {
  if (width === image.width && height === image.height) return toPlanes(image);
  const premultiplied = new Float32Array(image.width * image.height * 4);
  const d = image.data;
  for (let p = 0; p < image.width * image.height; p++) {
    const a = d[p * 4 + 3] / 255;
    premultiplied[p * 4] = d[p * 4] * a;
    premultiplied[p * 4 + 1] = d[p * 4 + 1] * a;
    premultiplied[p * 4 + 2] = d[p * 4 + 2] * a;
    premultiplied[p * 4 + 3] = d[p * 4 + 3];
  }
  const resized = resampleFloat(premultiplied, image.width, image.height, 4, width, height);
  const rgb = new Uint8ClampedArray(width * height * 3);
  const alpha = new Uint8ClampedArray(width * height);
  for (let p = 0; p < width * height; p++) {
    const a = resized[p * 4 + 3];
    const unpremultiply = a > 0 ? 255 / a : 0;
    rgb[p * 3] = resized[p * 4] * unpremultiply;
    rgb[p * 3 + 1] = resized[p * 4 + 1] * unpremultiply;
    rgb[p * 3 + 2] = resized[p * 4 + 2] * unpremultiply;
    alpha[p] = a;
  }
  return { width, height, rgb, alpha };
}

/** Only the alpha channel of `image` resampled to width x height: the same bytes as resampleToPlanes' alpha,
 *  without resampling the colour (for a result painted at another size than its source). */
export function resampleAlpha(image: RgbaImage, width: number, height: number): Uint8ClampedArray {
  const alpha = new Uint8ClampedArray(image.width * image.height);
  for (let p = 0; p < alpha.length; p++) alpha[p] = image.data[p * 4 + 3];
  if (width === image.width && height === image.height) return alpha;
  return Uint8ClampedArray.from(resampleFloat(alpha, image.width, image.height, 1, width, height));
}

/** Resamples interleaved float data with `channels` values a pixel (separable: rows, then columns). */
export function resampleFloat(data: Float32Array | Uint8ClampedArray, width: number, height: number, channels: number, outWidth: number, outHeight: number): Float32Array {
  const horizontal = width === outWidth ? Float32Array.from(data) : resampleAxis(data, width, height, channels, outWidth, true);
  return height === outHeight ? horizontal : resampleAxis(horizontal, outWidth, height, channels, outHeight, false);
}

interface Taps {
  first: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

/** For each output index, the first input index, how many inputs and their normalized triangle weights. */
function filterTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale); // widen the triangle when shrinking: an area-like average
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support));
    const hi = Math.min(inSize, Math.ceil(center + support));
    let total = 0;
    let n = 0;
    for (let i = lo; i < hi && n < stride; i++, n++) {
      const w = Math.max(0, 1 - Math.abs((i + 0.5 - center) / support));
      weights[o * stride + n] = w;
      total += w;
    }
    for (let k = 0; k < n; k++) weights[o * stride + k] /= total || 1;
    first[o] = lo;
    count[o] = n;
  }
  return { first, count, weights, stride };
}

function resampleAxis(data: Float32Array | Uint8ClampedArray, width: number, height: number, channels: number, outSize: number, alongRows: boolean): Float32Array {
  const inSize = alongRows ? width : height;
  const taps = filterTaps(inSize, outSize);
  const outWidth = alongRows ? outSize : width;
  const outHeight = alongRows ? height : outSize;
  const out = new Float32Array(outWidth * outHeight * channels);
  const lines = alongRows ? height : width; // lines perpendicular to the axis
  const inStep = (alongRows ? 1 : width) * channels; // distance between neighbours along the axis
  const outStep = (alongRows ? 1 : outWidth) * channels;
  for (let line = 0; line < lines; line++) {
    const inBase = (alongRows ? line * width : line) * channels;
    const outBase = (alongRows ? line * outWidth : line) * channels;
    for (let o = 0; o < outSize; o++) {
      const t0 = o * taps.stride;
      const first = inBase + taps.first[o] * inStep;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < taps.count[o]; k++) sum += taps.weights[t0 + k] * data[first + k * inStep + c];
        out[outBase + o * outStep + c] = sum;
      }
    }
  }
  return out;
}

/** width x height scaled so that the longest side is `longest` (0 = unchanged), at least 1 px a side. */
export function sizeForLongestSide(width: number, height: number, longest: number): { width: number; height: number } {
  if (!longest || Math.max(width, height) === longest) return { width, height };
  const scale = longest / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
