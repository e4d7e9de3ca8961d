import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../errors';
import type { Technique } from '../job';
import { mapRgb, mixImages } from '../tensor-image';
import type { invertSpec } from './spec';
import type { SpecParams } from '../technique-spec';

export const run: Technique<SpecParams<typeof invertSpec>> = async ({ source }, { amount }, context) => {
  throwIfAborted(context.signal);
  return mapRgb(source, (rgb) => mixImages(rgb, tf.sub(1, rgb), amount), context);
};
