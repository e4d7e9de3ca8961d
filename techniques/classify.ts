// Image classification with either ImageNet network: what the network "sees" in a layer (CLI `classify`,
// and the Explore panel later). The whole image is resized to 224x224 (no crop: a designer's layer is seen
// whole, even if a long banner gets squeezed), the size both networks were trained at.
import * as tf from '@tensorflow/tfjs';
import type { Networks } from '../models/registry';
import { topK, type LabelledScore } from '../models/networks/labels';
import type { RgbaImage } from './image';
import { assertNotEmpty, shrinkToFit } from './image';
import { splitRgbAlpha } from './tensor-image';

export type Classifier = 'mobilenet_v2' | 'darknet_tiny';
export const CLASSIFIER_INPUT_SIDE = 224;

/** Above this longest side an image is first shrunk by a whole factor in plain arrays (shrinkToFit). */
const LARGEST_TENSOR_SIDE = 2048;

/** RGB 0..1, [1,224,224,3]: the image resized bilinearly. */
export function classifierInput(image: RgbaImage): tf.Tensor4D {
  const { rgb, alpha } = splitRgbAlpha(shrinkToFit(image, LARGEST_TENSOR_SIDE));
  alpha.dispose();
  const input = tf.image.resizeBilinear(rgb, [CLASSIFIER_INPUT_SIDE, CLASSIFIER_INPUT_SIDE], true);
  rgb.dispose();
  return input;
}

export async function classify(image: RgbaImage, networks: Networks, classifier: Classifier = 'mobilenet_v2', k = 5): Promise<LabelledScore[]> {
  assertNotEmpty(image, 'The image');
  const input = classifierInput(image);
  const { probabilities, labels } = await scores(input, networks, classifier);
  input.dispose();
  try {
    return await topK(probabilities, labels, k);
  } finally {
    probabilities.dispose();
  }
}

/** The classifier's probabilities for one input. MobileNetV2 computes what its published uint8 graph computes (its
 *  quantization emulated: on WASM, integer kernels as fast as the TFLite interpreter's), so its scores are the
 *  model's own; Darknet-tiny is a float network. */
async function scores(input: tf.Tensor4D, networks: Networks, classifier: Classifier): Promise<{ probabilities: tf.Tensor2D; labels: readonly string[] }> {
  if (classifier === 'mobilenet_v2') {
    const network = await networks.get('mobilenet_v2');
    return { probabilities: network.probabilities(input, { emulateQuantization: true }), labels: network.labels };
  }
  const network = await networks.get(classifier);
  return { probabilities: network.probabilities(input), labels: network.labels };
}
