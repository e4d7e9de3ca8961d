// The measures every style test asserts on (the metric), computed with the real VGG19.
//
// - styleDistance(a → b): mean((G_a − G_b)²) / mean(G_b²), averaged over relu1_1, relu2_1, relu3_1. Both images
//   are first resized to exactly 256x256 (bilinear). Squashing the aspect ratio changes stroke orientation
//   statistics a little, but Gram matrices are size-normalized (÷H·W) and a fixed square size makes the figure
//   independent of the input sizes, which is what "at 256 px" needs. 0 = same style statistics.
// - contentDistance(a → b): relu3_2 features, mean((F_a − F_b)²) / mean(F_b²). `a` is resized to `b`'s size when
//   they differ (so a style image can be compared against a content image). 0 = same content.
// - ycbcrChromaDelta(a, b): mean |ΔCb| and |ΔCr| (BT.601, 0..255 scale), for "colours kept" checks.
// - strokeDensity(image): strict local maxima of luminance (3x3) per 1000 px, a count of brush marks: finer
//   strokes make more of them in the same area. (Measured on chelsea: mean gradient or autocorrelation do not order
//   stroke sizes, because shrinking a fine painting also smooths it; counting marks does.)
//
// Inputs are RgbaImage (alpha ignored) or RGB tensors [1, H, W, 3] in 0..1 (not disposed).
import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../../techniques/image';
import { splitRgbAlpha } from '../../techniques/tensor-image';
import { gramMatrix } from '../../techniques/style/gram';
import type { Vgg19, Vgg19Layer } from '../../models/networks/vgg19';
import { testNetworks, useWasmBackend } from './assets';

export type ImageLike = RgbaImage | tf.Tensor4D;

export const STYLE_METRIC_SIZE = 256;
export const STYLE_METRIC_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1'] as const satisfies readonly Vgg19Layer[];
export const CONTENT_METRIC_LAYER = 'relu3_2' as const satisfies Vgg19Layer;

/** RGB [1,H,W,3] in 0..1, owned by the caller (a copy when given a tensor, so it can always be disposed). */
function toRgb(image: ImageLike): tf.Tensor4D {
  if (image instanceof tf.Tensor) return tf.clone(image);
  const { rgb, alpha } = splitRgbAlpha(image);
  alpha.dispose();
  return rgb;
}

function resizeTo(rgb: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  if (rgb.shape[1] === height && rgb.shape[2] === width) return tf.clone(rgb);
  return tf.image.resizeBilinear(rgb, [height, width], false, true);
}

/** mean((x − target)²) / mean(target²), read back as a number. */
async function relativeSquaredError(x: tf.Tensor, target: tf.Tensor): Promise<number> {
  const ratio = tf.tidy(() => tf.div(tf.mean(tf.squaredDifference(x, target)), tf.mean(tf.square(target))));
  try {
    return (await ratio.data())[0];
  } finally {
    ratio.dispose();
  }
}

/** Style distance of `a` to `b` (b is the reference: the normalization uses b's Grams). */
export async function styleDistance(vgg: Vgg19, a: ImageLike, b: ImageLike): Promise<number> {
  const grams = (image: ImageLike) =>
    tf.tidy(() => {
      const rgb = toRgb(image);
      const features = vgg.features(resizeTo(rgb, STYLE_METRIC_SIZE, STYLE_METRIC_SIZE), STYLE_METRIC_LAYERS);
      return STYLE_METRIC_LAYERS.map((layer) => gramMatrix(features[layer]));
    });
  const ga = grams(a);
  const gb = grams(b);
  try {
    let total = 0;
    for (let i = 0; i < STYLE_METRIC_LAYERS.length; i++) total += await relativeSquaredError(ga[i], gb[i]);
    return total / STYLE_METRIC_LAYERS.length;
  } finally {
    tf.dispose([...ga, ...gb]);
  }
}

/** Content distance of `a` to `b` at relu3_2 (b is the reference; a is resized to b's size if needed). */
export async function contentDistance(vgg: Vgg19, a: ImageLike, b: ImageLike): Promise<number> {
  const [fa, fb] = tf.tidy(() => {
    const rb = toRgb(b);
    const ra = resizeTo(toRgb(a), rb.shape[1], rb.shape[2]);
    return [vgg.features(ra, [CONTENT_METRIC_LAYER])[CONTENT_METRIC_LAYER], vgg.features(rb, [CONTENT_METRIC_LAYER])[CONTENT_METRIC_LAYER]];
  });
  try {
    return await relativeSquaredError(fa, fb);
  } finally {
    tf.dispose([fa, fb]);
  }
}

/** Mean absolute chroma difference (BT.601 Cb and Cr, 0..255) between two images (a resized to b's size). */
export async function ycbcrChromaDelta(a: ImageLike, b: ImageLike): Promise<{ cb: number; cr: number }> {
  const deltas = tf.tidy(() => {
    const rb = toRgb(b);
    const ra = resizeTo(toRgb(a), rb.shape[1], rb.shape[2]);
    // Cb = 128 − 0.168736 R − 0.331264 G + 0.5 B; Cr = 128 + 0.5 R − 0.418688 G − 0.081312 B (R,G,B in 0..255).
    const toCbCr = tf.tensor2d([[-0.168736, 0.5], [-0.331264, -0.418688], [0.5, -0.081312]]).mul(255);
    const chroma = (rgb: tf.Tensor4D) => tf.matMul(tf.reshape(rgb, [-1, 3]), toCbCr);
    return tf.mean(tf.abs(tf.sub(chroma(ra), chroma(rb))), 0);
  });
  try {
    const [cb, cr] = await deltas.data();
    return { cb, cr };
  } finally {
    deltas.dispose();
  }
}

/** Strict 3x3 local maxima of BT.601 luminance per 1000 px (alpha ignored). */
export function strokeDensity(image: RgbaImage): number {
  const { width, height, data } = image;
  const luma = new Float32Array(width * height);
  for (let p = 0; p < luma.length; p++) luma[p] = 0.299 * data[p * 4] + 0.587 * data[p * 4 + 1] + 0.114 * data[p * 4 + 2];
  let maxima = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const v = luma[y * width + x];
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && luma[(y + dy) * width + x + dx] >= v) isMax = false;
      if (isMax) maxima++;
    }
  }
  return (1000 * maxima) / ((width - 2) * (height - 2));
}

/**
 * For Node tests: the shared VGG19 from the registry over the converted cache (`npm run models` fills it).
 * Switches TF.js to the WASM backend first: VGG at 256 px is ~30 GFLOP per forward pass, which the JS CPU
 * backend runs about 20x slower (the shared toolchain notes measure it).
 */
export async function loadVgg19OnWasm(): Promise<Vgg19> {
  await useWasmBackend();
  return testNetworks().get('vgg19');
}
