// "Preserve colours" (Gatys et al. 2016, "Preserving color in neural artistic style transfer", the luminance
// variant): the network stylizes as usual, then the result keeps only its luminance and takes the chroma of the
// content. In YCbCr (BT.601, full range) Y carries the brush strokes and light; Cb/Cr carry the hue, so the output
// has the style's texture in the content's colours. Pointwise, so it runs per tile with no seam risk.
import * as tf from '@tensorflow/tfjs';

// BT.601 full range, RGB in 0..1: Y = 0.299 R + 0.587 G + 0.114 B, Cb/Cr centred on 0.5.
const RGB_TO_YCBCR = [
  [0.299, -0.168736, 0.5],
  [0.587, -0.331264, -0.418688],
  [0.114, 0.5, -0.081312],
];
const YCBCR_TO_RGB = [
  [1, 1, 1],
  [0, -0.344136, 1.772],
  [1.402, -0.714136, 0],
];

/** [..., 3] RGB 0..1 -> [..., 3] YCbCr (Y 0..1, Cb/Cr 0..1 centred on 0.5). */
export function rgbToYCbCr(rgb: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = rgb.shape;
    const flat = tf.matMul(tf.reshape(rgb, [-1, 3]), tf.tensor2d(RGB_TO_YCBCR));
    return tf.add(tf.reshape(flat, shape), tf.tensor1d([0, 0.5, 0.5]));
  });
}

/** Inverse of rgbToYCbCr (not clipped). */
export function ycbcrToRgb(ycbcr: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = ycbcr.shape;
    const centred = tf.sub(ycbcr, tf.tensor1d([0, 0.5, 0.5]));
    return tf.reshape(tf.matMul(tf.reshape(centred, [-1, 3]), tf.tensor2d(YCBCR_TO_RGB)), shape);
  });
}

/** The stylized image's luminance with the content's chroma, RGB [1,H,W,3] clipped to 0..1. Same shapes. */
export function keepContentChroma(stylized: tf.Tensor4D, content: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [y] = tf.split(rgbToYCbCr(stylized), [1, 2], 3);
    const [, cbcr] = tf.split(rgbToYCbCr(content), [1, 2], 3);
    return tf.clipByValue(ycbcrToRgb(tf.concat([y, cbcr], 3)), 0, 1) as tf.Tensor4D;
  });
}
