// The image pyramid of the Gatys path: the image and its halved copies. VGG19 blocks 1-3 see at most a ~40 px
// receptive field; matching Gram matrices at 1/2 and 1/4 scale as well lets that shallow network catch the
// style's larger structures (long strokes, swirls) that a single scale would miss.
//
// Halving is the bilinear resize of tf.image.resizeBilinear with half-pixel centres and no corner alignment (on
// even sizes exactly a 2x2 box average), the resampler the 256 px style metric uses too. It runs here on plain
// arrays, with its adjoint for the gradient, so that the tiled objective never holds image-sized tensors (at
// 4096 px each is 200 MB). The adjoint is written out because TF.js's own gradient of tf.image.resizeBilinear
// ignores halfPixelCenters (its ResizeBilinearGrad takes alignCorners only; test/unit/style-gatys-tiled.test.ts).
import type { RgbFloatImage } from '../texture/pixels';

/** Smallest side a level may have: below this relu3_x (1/4 resolution) has almost no positions left. */
export const MIN_PYRAMID_SIDE = 32;

/** How many levels of `levels` fit an image of this size (each level halves the shorter side). */
export function usablePyramidLevels(height: number, width: number, levels: number): number {
  let count = 1;
  let side = Math.min(height, width);
  while (count < levels && Math.floor(side / 2) >= MIN_PYRAMID_SIDE) {
    side = Math.floor(side / 2);
    count++;
  }
  return count;
}

/** The size of the next level: halved, rounded, at least 1 px. */
export function halvedSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(width / 2)), height: Math.max(1, Math.round(height / 2)) };
}

/** Sizes of `levels` levels, level 0 first. */
export function pyramidSizes(width: number, height: number, levels: number): Array<{ width: number; height: number }> {
  const sizes = [{ width, height }];
  for (let level = 1; level < levels; level++) sizes.push(halvedSize(sizes[level - 1].width, sizes[level - 1].height));
  return sizes;
}

/** [x, x/2, x/4, ...]: `levels` images (level 0 is `image` itself, not a copy). */
export function imagePyramid(image: RgbFloatImage, levels: number): RgbFloatImage[] {
  const out = [image];
  for (let level = 1; level < levels; level++) {
    const previous = out[level - 1];
    const size = halvedSize(previous.width, previous.height);
    out.push({ ...size, rgb: resizeBilinear(previous.rgb, previous.width, previous.height, size.width, size.height) });
  }
  return out;
}

/** One axis of the resize: each output index reads inputs i0 and i1 with weights 1 − t and t. */
interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  t: Float32Array;
}

/** tf.image.resizeBilinear's source coordinates (alignCorners false, halfPixelCenters true), as TF.js computes them. */
function axisTaps(from: number, to: number): AxisTaps {
  const ratio = from / to;
  const i0 = new Int32Array(to);
  const i1 = new Int32Array(to);
  const t = new Float32Array(to);
  for (let o = 0; o < to; o++) {
    const source = ratio * (o + 0.5) - 0.5;
    const low = Math.max(0, Math.floor(source));
    i0[o] = low;
    i1[o] = Math.min(from - 1, Math.ceil(source));
    t[o] = source - low;
  }
  return { i0, i1, t };
}

/** RGB (3 values a pixel) resized from width x height to outWidth x outHeight: rows first, then columns. */
export function resizeBilinear(rgb: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  const x = axisTaps(width, outWidth);
  const y = axisTaps(height, outHeight);
  const rows = new Float32Array(height * outWidth * 3);
  for (let j = 0; j < height; j++) {
    for (let o = 0; o < outWidth; o++) {
      const a = (j * width + x.i0[o]) * 3;
      const b = (j * width + x.i1[o]) * 3;
      const d = (j * outWidth + o) * 3;
      for (let c = 0; c < 3; c++) rows[d + c] = rgb[a + c] + (rgb[b + c] - rgb[a + c]) * x.t[o];
    }
  }
  const out = new Float32Array(outHeight * outWidth * 3);
  const line = outWidth * 3;
  for (let o = 0; o < outHeight; o++) {
    const a = y.i0[o] * line;
    const b = y.i1[o] * line;
    const d = o * line;
    const t = y.t[o];
    for (let k = 0; k < line; k++) out[d + k] = rows[a + k] + (rows[b + k] - rows[a + k]) * t;
  }
  return out;
}

/** The adjoint (transpose) of resizeBilinear: a gradient on the resized image back onto the original's pixels. */
export function resizeBilinearAdjoint(gradient: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  const x = axisTaps(width, outWidth);
  const y = axisTaps(height, outHeight);
  const line = outWidth * 3;
  const rows = new Float32Array(height * line);
  for (let o = 0; o < outHeight; o++) {
    const a = y.i0[o] * line;
    const b = y.i1[o] * line;
    const s = o * line;
    const t = y.t[o];
    for (let k = 0; k < line; k++) {
      rows[a + k] += gradient[s + k] * (1 - t);
      rows[b + k] += gradient[s + k] * t;
    }
  }
  const out = new Float32Array(height * width * 3);
  for (let j = 0; j < height; j++) {
    for (let o = 0; o < outWidth; o++) {
      const a = (j * width + x.i0[o]) * 3;
      const b = (j * width + x.i1[o]) * 3;
      const s = (j * outWidth + o) * 3;
      for (let c = 0; c < 3; c++) {
        out[a + c] += rows[s + c] * (1 - x.t[o]);
        out[b + c] += rows[s + c] * x.t[o];
      }
    }
  }
  return out;
}
