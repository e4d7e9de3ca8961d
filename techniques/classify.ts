// Image classification with either ImageNet network: what the network "sees" in a layer (CLI `classify`,
// and the Explore panel later). The whole image is resized to 224x224 (no crop: a designer's layer is seen
// whole, even if a long banner gets squeezed), the size both networks were trained at.
import * as tf from '@tensorflow/tfjs';
import { getNetwork } from '../models/registry';
import { topK, type LabelledScore } from '../models/networks/labels';
import type { RgbaImage } from './image';
import { PasticheError } from './errors';
import { splitRgbAlpha } from './tensor-image';

export type Classifier = 'mobilenet_v2' | 'darknet_tiny';
export const CLASSIFIER_INPUT_SIDE = 224;

/** RGB 0..1, [1,224,224,3]: the image resized bilinearly. */
export function classifierInput(image: RgbaImage): tf.Tensor4D {
  const { rgb, alpha } = splitRgbAlpha(image);
  alpha.dispose();
  const input = tf.image.resizeBilinear(rgb, [CLASSIFIER_INPUT_SIDE, CLASSIFIER_INPUT_SIDE], true);
  rgb.dispose();
  return input;
}

export async function classify(image: RgbaImage, classifier: Classifier = 'mobilenet_v2', k = 5): Promise<LabelledScore[]> {
  if (image.width < 1 || image.height < 1) throw new PasticheError('bad-input', 'The image is empty (0 px).');
  const network = await getNetwork(classifier);
  const input = classifierInput(image);
  const probabilities = tf.tidy(() => network.probabilities(input));
  input.dispose();
  try {
    return await topK(probabilities, network.labels, k);
  } finally {
    probabilities.dispose();
  }
}
