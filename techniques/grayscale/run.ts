import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../errors';
import type { Technique } from '../job';
import { mapRgb, mixImages } from '../tensor-image';
import type { SpecParams } from '../technique-spec';
import type { grayscaleSpec } from './spec';

/** BT.601 luma weights, the ones designers' tools use for "grayscale". */
const LUMA = [0.299, 0.587, 0.114];

export const run: Technique<SpecParams<typeof grayscaleSpec>> = async ({ source }, { amount }, context) => {
  throwIfAborted(context.signal);
  const result = await mapRgb(source, (rgb) => {
    const luma = rgb.mul(tf.tensor1d(LUMA)).sum(3, true).tile([1, 1, 1, 3]) as tf.Tensor4D;
    return mixImages(rgb, luma, amount);
  }, context);
  return result;
};
