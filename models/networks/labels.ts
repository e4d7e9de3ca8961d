// ImageNet labels: parsing the label file and reading the top-k classes out of a probability vector.
import * as tf from '@tensorflow/tfjs';

export interface LabelledScore {
  label: string;
  probability: number;
  index: number;
}

/** One label per line; the file's trailing newline adds no label. */
export function parseLabels(text: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/** The k most probable classes, best first. `probabilities` is [classes] or [1, classes]. */
export async function topK(probabilities: tf.Tensor | Float32Array | number[], labels: readonly string[], k = 5): Promise<LabelledScore[]> {
  const values = probabilities instanceof tf.Tensor ? await probabilities.data() : probabilities;
  if (values.length !== labels.length) throw new Error(`topK: ${values.length} scores for ${labels.length} labels`);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
  return order.slice(0, k).map((index) => ({ label: labels[index], probability: values[index], index }));
}

/** The short name of a label ("Egyptian cat" for "Egyptian cat", "tench" for "tench, Tinca tinca"). */
export function shortLabel(label: string): string {
  return label.split(',')[0].trim();
}
