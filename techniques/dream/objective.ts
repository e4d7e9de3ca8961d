// What a dream ascends, as a function of an image: a whole layer (the classic DeepDream: ½‖a‖²), one channel, or an
// ImageNet class logit. Each is a mean over the positions of a feature map, i.e. normalised by size: the value does
// not grow with the image, and a mean over positions is what lets the gradient be computed tile by tile
// (tiled-gradient.ts weighs each tile by its share of positions).
import * as tf from '@tensorflow/tfjs';
import { PasticheError } from '../errors';
import type { DreamLayer, DreamNetwork } from './network';
import { resolveLayer } from './network';

export type DreamObjective = { kind: 'layer' } | { kind: 'channel'; channel: number } | { kind: 'class'; classIndex: number };

export interface ResolvedObjective {
  objective: DreamObjective;
  /** The map the objective is a spatial mean of (a layer, or the classifier for a class). */
  target: Pick<DreamLayer, 'stride' | 'receptiveField'>;
  /** Human words for progress messages and reports, e.g. "channel 12 of block_6". */
  description: string;
  /** The objective of an image [1,H,W,3] in 0..1 (H, W multiples of target.stride for exact tiling). */
  value(image: tf.Tensor4D): tf.Scalar;
}

/** Checks the objective against the network and layer and returns it ready to evaluate. */
export function resolveObjective(net: DreamNetwork, layerOrPreset: string, objective: DreamObjective): ResolvedObjective {
  if (objective.kind === 'class') {
    const k = objective.classIndex;
    if (!Number.isInteger(k) || k < 0 || k >= net.labels.length) throw new PasticheError('bad-params', `Class ${k} is out of range (0 to ${net.labels.length - 1}).`);
    return {
      objective,
      target: net.classifier,
      description: `class "${net.labels[k]}"`,
      value: (image) => tf.tidy(() => tf.squeeze(tf.slice(net.logits(image), [0, k], [1, 1])) as tf.Scalar),
    };
  }
  const layer = resolveLayer(net, layerOrPreset);
  if (objective.kind === 'channel') {
    const c = objective.channel;
    if (!Number.isInteger(c) || c < 0 || c >= layer.channels) throw new PasticheError('bad-params', `Channel ${c} is out of range for ${layer.name} (0 to ${layer.channels - 1}).`);
    return {
      objective,
      target: layer,
      description: `channel ${c} of ${layer.name}`,
      value: (image) => tf.tidy(() => tf.mean(tf.slice(net.activations(image, layer.name), [0, 0, 0, c], [-1, -1, -1, 1])) as tf.Scalar),
    };
  }
  return {
    objective,
    target: layer,
    description: `layer ${layer.name}`,
    // ½ mean(a²) over positions and channels: the classic objective (its gradient is the activation itself).
    value: (image) => tf.tidy(() => tf.mul(tf.mean(tf.square(net.activations(image, layer.name))), 0.5) as tf.Scalar),
  };
}
