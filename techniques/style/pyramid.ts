// The image pyramid of the Gatys path: the image and its halved copies. VGG19 blocks 1-3 see at most a ~40 px
// receptive field; matching Gram matrices at 1/2 and 1/4 scale as well lets that shallow network catch the
// style's larger structures (long strokes, swirls) that a single scale would miss.
import * as tf from '@tensorflow/tfjs';

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

/**
 * [x, x/2, x/4, ...]: `levels` tensors (level 0 is a clone of x, so every entry may be disposed). Halving is a
 * bilinear resize with half-pixel centres, which on even sizes is exactly a 2x2 box average (anti-aliased) and
 * which has a gradient on every backend (tfjs-wasm has ResizeBilinearGrad). Differentiable.
 */
export function imagePyramid(x: tf.Tensor4D, levels: number): tf.Tensor4D[] {
  const out: tf.Tensor4D[] = [tf.clone(x)];
  let current = x;
  for (let level = 1; level < levels; level++) {
    const [, height, width] = current.shape;
    current = tf.image.resizeBilinear(current, [Math.max(1, Math.round(height / 2)), Math.max(1, Math.round(width / 2))], false, true);
    out.push(current);
  }
  return out;
}
