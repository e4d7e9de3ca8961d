// ImageNet labels: reading the top-k classes out of a probability vector (the label text itself: label-text.ts).
import * as tf from '@tensorflow/tfjs';

export { parseLabels, shortLabel } from './label-text';

export interface LabelledScore {
  label: string;
  probability: number;
  index: number;
}

/** The k most probable classes, best first. `probabilities` is [classes] or [1, classes]. */
export async function topK(probabilities: tf.Tensor | Float32Array | number[], labels: readonly string[], k = 5): Promise<LabelledScore[]> {
  const values = probabilities instanceof tf.Tensor ? await probabilities.data() : probabilities;
  if (values.length !== labels.length) throw new Error(`topK: ${values.length} scores for ${labels.length} labels`);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
  return order.slice(0, k).map((index) => ({ label: labels[index], probability: values[index], index }));
}
