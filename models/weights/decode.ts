// ConvertedWeights -> named tensors, via TF.js's own decoder (it expands float16 and dequantizes uint8).
import * as tf from '@tensorflow/tfjs';
import type { ConvertedWeights } from './format';

export function decodeConvertedWeights(weights: ConvertedWeights): tf.NamedTensorMap {
  return tf.io.decodeWeights(weights.data, weights.manifest.weights);
}
