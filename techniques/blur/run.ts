// Gaussian-like blur by repeated 3x3 box filters (see `run`).
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../errors';
import type { Technique } from '../job';
import { joinRgbAlpha, splitRgbAlpha } from '../tensor-image';
import type { SpecParams } from '../technique-spec';
import type { blurSpec } from './spec';

/** Passes of a 3-tap box filter per axis that approximate a Gaussian of the given radius (central limit). */
export function blurPasses(radius: number): number {
  // A [1,1,1]/3 box has variance 2/3 per pass; a Gaussian of sigma = radius/2 needs sigma^2 / (2/3) passes.
  return Math.max(1, Math.round(((radius / 2) ** 2 * 3) / 2));
}

/**
 * Gaussian-like blur by repeated small box filters, with alpha-weighted colour (premultiplied) so that
 * transparent pixels do not bleed black into the edges. Iterative on purpose: progress and cancellation
 * between passes, and GPU memory bounded by one pass.
 */
export const run: Technique<SpecParams<typeof blurSpec>> = async ({ source }, { radius }, context) => {
  const passes = blurPasses(radius);
  const kernel = tf.tidy(() => tf.fill([3, 3, 4, 1], 1 / 9) as tf.Tensor4D);
  const { rgb, alpha } = splitRgbAlpha(source);
  let premultiplied = tf.tidy(() => tf.concat([rgb.mul(alpha.expandDims(0)), alpha.expandDims(0)], 3) as tf.Tensor4D);
  rgb.dispose();
  alpha.dispose();
  try {
    for (let pass = 0; pass < passes; pass++) {
      throwIfAborted(context.signal);
      const next = tf.tidy(() => {
        const padded = tf.mirrorPad(premultiplied, [[0, 0], [1, 1], [1, 1], [0, 0]], 'symmetric');
        return tf.depthwiseConv2d(padded, kernel, 1, 'valid') as tf.Tensor4D;
      });
      premultiplied.dispose();
      premultiplied = next;
      if (pass % 4 === 3 || pass === passes - 1) {
        await premultiplied.data(); // let the backend finish, so progress and cancel are real
        context.onProgress({ fraction: (pass + 1) / passes, message: `pass ${pass + 1} of ${passes}` });
      }
    }
    const [colour, blurredAlpha] = tf.tidy(() => {
      const [c, a] = tf.split(premultiplied, [3, 1], 3);
      return [c.div(a.maximum(1e-6)) as tf.Tensor4D, a.squeeze([0]) as tf.Tensor3D];
    });
    try {
      return await joinRgbAlpha(colour, blurredAlpha);
    } finally {
      colour.dispose();
      blurredAlpha.dispose();
    }
  } finally {
    premultiplied.dispose();
    kernel.dispose();
  }
};
