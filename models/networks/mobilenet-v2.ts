// MobileNetV2 1.0 (ImageNet, 1001 classes) as a plain function over named weights converted from
// the TFLite classifier. Computes in float32 (the TFLite graph quantizes activations; we don't, so
// the network is differentiable for DeepDream and feature inversion).
import * as tf from '@tensorflow/tfjs';
import type { ConvLayerInfo, MobileNetBlockInfo, MobileNetExtras } from '../tflite/convert-mobilenet';
import { asBatch, convLayer, disposeMap } from './ops';

export type MobileNetEndpoint = 'stem' | `block_${number}` | 'head' | 'embedding' | 'logits';

/** Trunk shared with Magenta's style predictor: stem conv, inverted residual blocks, 1x1 head conv. */
export function mobileNetV2Trunk(
  image: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  extras: MobileNetExtras,
  /** Called with every endpoint as it is computed; return true to stop early (nothing further needed). */
  visit: (name: MobileNetEndpoint, x: tf.Tensor4D) => boolean = () => false,
): tf.Tensor4D | undefined {
  const layers = new Map<string, ConvLayerInfo>(extras.layers.map((l) => [l.name, l]));
  const conv = (x: tf.Tensor4D, name: string) => {
    const l = layers.get(name);
    if (!l) throw new Error(`layer ${name} is missing from the manifest`);
    return convLayer(x, weights, name, l);
  };
  const invertedResidual = (x: tf.Tensor4D, block: MobileNetBlockInfo) => {
    let h = block.expand ? conv(x, `${block.name}/expand`) : x;
    h = conv(h, `${block.name}/depthwise`);
    h = conv(h, `${block.name}/project`);
    return block.residual ? (tf.add(h, x) as tf.Tensor4D) : h;
  };

  // Pixels 0..1 -> what the first conv was trained on (read from the graph's input quantization).
  let x = tf.add(tf.mul(image, extras.input.multiply), extras.input.add) as tf.Tensor4D;
  x = conv(x, extras.stem);
  if (visit('stem', x)) return undefined;
  for (const [i, block] of extras.blocks.entries()) {
    x = invertedResidual(x, block);
    if (visit(`block_${i}`, x)) return undefined;
  }
  x = conv(x, extras.head);
  if (visit('head', x)) return undefined;
  return x;
}

export interface MobileNetV2 {
  /** [N,1001] logits (index 0 = background). Any input size >= 32; classification is defined at 224x224. */
  logits(image: tf.Tensor3D | tf.Tensor4D): tf.Tensor2D;
  probabilities(image: tf.Tensor3D | tf.Tensor4D): tf.Tensor2D;
  /** Chosen endpoints: 'stem', 'block_0'..'block_16' (after each inverted residual block), 'head' (1280 ch.
   *  before pooling), 'embedding' ([N,1280] global average), 'logits'. Stops after the deepest one asked. */
  endpoints<K extends MobileNetEndpoint>(image: tf.Tensor3D | tf.Tensor4D, names: readonly K[]): Record<K, tf.Tensor>;
  readonly blockCount: number;
  /** The 1001 ImageNet labels (index 0 = background) that the setup step stores beside the weights. */
  readonly labels: readonly string[];
  dispose(): void;
}

/** Takes ownership of `weights` (disposed by `dispose()`). Images are RGB floats in 0..1, [H,W,3] or [N,H,W,3]. */
export function createMobileNetV2(weights: tf.NamedTensorMap, extras: MobileNetExtras): MobileNetV2 {
  const endpoints = <K extends MobileNetEndpoint>(image: tf.Tensor3D | tf.Tensor4D, names: readonly K[]) =>
    tf.tidy(() => {
      const wanted = new Set<string>(names);
      const out: Partial<Record<string, tf.Tensor>> = {};
      const needsHeadOrLater = wanted.has('embedding') || wanted.has('logits');
      const take = (name: string, x: tf.Tensor) => {
        if (wanted.has(name)) out[name] = x;
        wanted.delete(name);
        return wanted.size === 0;
      };
      const head = mobileNetV2Trunk(asBatch(image), weights, extras, (name, x) => take(name, x) && !needsHeadOrLater);
      if (head && (wanted.has('embedding') || wanted.has('logits'))) {
        // Global average pool (the graph's 7x7 AVERAGE_POOL_2D at 224, generalised to any size).
        const pooled = tf.mean(head, [1, 2], true) as tf.Tensor4D;
        take('embedding', tf.reshape(pooled, [pooled.shape[0], -1]));
        const logits = convLayer(pooled, weights, extras.classifier, { strides: [1, 1], padding: 'same', activation: 'none' });
        take('logits', tf.reshape(logits, [logits.shape[0], -1]));
      }
      if (wanted.size > 0) throw new Error(`unknown MobileNetV2 endpoints: ${[...wanted].join(', ')}`);
      return out as Record<K, tf.Tensor>;
    });
  const logits = (image: tf.Tensor3D | tf.Tensor4D) => endpoints(image, ['logits']).logits as tf.Tensor2D;
  return {
    logits,
    probabilities: (image) => tf.tidy(() => tf.softmax(logits(image))),
    endpoints,
    blockCount: extras.blocks.length,
    labels: (extras as MobileNetExtras & { labels?: string[] }).labels ?? [],
    dispose: () => disposeMap(weights),
  };
}
