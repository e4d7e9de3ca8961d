// The style bottleneck: the 100 numbers that tell the transformer which style to paint in (Ghiasi et al. 2017).
// Everything the user tunes about "which style, how much" happens here, as arithmetic on bottlenecks:
// several styles blend as a weighted mean, and strength interpolates towards the content's own bottleneck.
import * as tf from '@tensorflow/tfjs';
import type { StylePredictor } from '../../models/networks/magenta';
import { centreSquare, type RgbaImage } from '../image';
import { resampleFloat } from './fast-resample';

/** The predictor's native input: 256 x 256. */
export const STYLE_VIEW_SIZE = 256;

/**
 * What the predictor sees of a style image, as RGB 0..1 [1, 256, 256, 3]: the image resized so that its shorter
 * side is 256 px, centre-cropped to a square. (Stroke size is not set here but by the resolution the transformer
 * paints at: see `paintingSize` in fast.ts. Measured: zooming this view in or out changed strokes in no consistent
 * direction across the presets.)
 * Transparent pixels are composited over white: a layer's empty areas read as blank paper, not black paint.
 */
export function styleView(image: RgbaImage): tf.Tensor4D {
  // Cropped first, then scaled: memory is the square's, never the whole image's at the view's scale.
  const square = centreSquare(image);
  const view = resampleFloat(overWhite(square), square.width, square.height, 3, STYLE_VIEW_SIZE, STYLE_VIEW_SIZE);
  return tf.tensor4d(view, [1, STYLE_VIEW_SIZE, STYLE_VIEW_SIZE, 3]);
}

/** RGB 0..1, 3 floats a pixel, with alpha composited over white. */
function overWhite(image: RgbaImage): Float32Array {
  const count = image.width * image.height;
  const out = new Float32Array(count * 3);
  const d = image.data;
  for (let p = 0; p < count; p++) {
    const a = d[p * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = (d[p * 4 + c] / 255) * a + (1 - a);
  }
  return out;
}

/** The bottleneck [1,1,1,100] of an image. Caller disposes. */
export function imageBottleneck(predictor: StylePredictor, image: RgbaImage): tf.Tensor4D {
  const view = styleView(image);
  try {
    return predictor.predictStyle(view, { resize: false });
  } finally {
    view.dispose();
  }
}

/** Weighted mean of bottlenecks; weights are normalized to sum to 1. Inputs are not disposed. */
export function blendBottlenecks(parts: { bottleneck: tf.Tensor; weight: number }[]): tf.Tensor4D {
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  if (!parts.length || !(total > 0)) throw new Error('blendBottlenecks needs at least one positive weight');
  return tf.tidy(() => tf.addN(parts.map((p) => tf.mul(p.bottleneck, p.weight / total))).reshape([1, 1, 1, -1]) as tf.Tensor4D);
}

/** strength · style + (1 − strength) · content: 0 = the content restyled in its own style, 1 = the full style. */
export function applyStrength(style: tf.Tensor, content: tf.Tensor, strength: number): tf.Tensor4D {
  return tf.tidy(() => tf.add(tf.mul(style, strength), tf.mul(content, 1 - strength)).reshape([1, 1, 1, -1]) as tf.Tensor4D);
}
