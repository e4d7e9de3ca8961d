// Darknet Tiny ImageNet classifier (Redmon) as a plain differentiable function: conv + leaky ReLU blocks with
// max pools, a 1x1 conv to 1000 class scores and a global average pool. Small and fast, used for DeepDream,
// class visualisation and saliency. Input is RGB in [0, 1] (the Darknet pixel/255 convention) at any size;
// classification is meant for `inputSize` (224).
import * as tf from '@tensorflow/tfjs';
import type { DarknetExtras, DarknetLayer } from './darknet-spec';
import { fusedConv } from './fused-conv';

export interface DarknetTiny {
  readonly labels: readonly string[];
  readonly inputSize: number;
  /** Names of every block output (conv1.., pool1..), in forward order; the last conv is the class score map. */
  readonly layers: readonly string[];
  /** Class scores [1, 1000] before softmax. */
  logits(x: tf.Tensor4D): tf.Tensor2D;
  /** Softmax of the logits, [1, 1000]. */
  probabilities(x: tf.Tensor4D): tf.Tensor2D;
  /** Outputs of the requested blocks; runs only as deep as needed. Differentiable; caller owns the tensors. */
  features<N extends string>(x: tf.Tensor4D, names: readonly N[]): Record<N, tf.Tensor4D>;
  /** The first conv's kernel, HWIO [3,3,3,16], RGB (borrowed: do not dispose). */
  firstConvKernel(): tf.Tensor4D;
  /** Frees the weights (the network owns them, like the other networks). */
  dispose(): void;
}

/** Takes ownership of `weights` (disposed by `dispose()`). */
export function createDarknetTiny(weights: tf.NamedTensorMap, extras: DarknetExtras): DarknetTiny {
  const blocks = extras.layers.filter((l): l is Exclude<DarknetLayer, { kind: 'globalAvgPool' }> => l.kind !== 'globalAvgPool');
  for (const l of blocks) {
    if (l.kind === 'conv' && (!weights[`${l.name}/kernel`] || !weights[`${l.name}/bias`])) throw new Error(`darknet_tiny: weights of ${l.name} missing`);
  }
  const layerNames = blocks.map((l) => l.name);
  const lastBlock = layerNames[layerNames.length - 1];

  /** Runs blocks up to the deepest of `wanted` and hands each output to `emit`; returns the last one. */
  const run = (x: tf.Tensor4D, deepest: number, emit: (name: string, t: tf.Tensor4D) => void): tf.Tensor4D => {
    if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`darknet_tiny: input must be [1, H, W, 3], got [${x.shape}]`);
    let h = x;
    for (let i = 0; i <= deepest; i++) {
      const l = blocks[i];
      if (l.kind === 'conv') {
        // conv + bias + leaky ReLU as one op with an input-only gradient (fused-conv.ts).
        h = fusedConv(h, weights[`${l.name}/kernel`] as tf.Tensor4D, weights[`${l.name}/bias`] as tf.Tensor1D, {
          op: 'conv2d',
          strides: [l.stride, l.stride],
          padding: l.padding,
          activation: l.leakyAlpha === null ? 'none' : 'leakyRelu',
          leakyAlpha: l.leakyAlpha ?? undefined,
        });
      } else {
        h = tf.maxPool(h, l.poolSize, l.stride, l.padding);
      }
      emit(l.name, h);
    }
    return h;
  };

  const logits = (x: tf.Tensor4D) => tf.tidy(() => tf.mean(run(x, blocks.length - 1, () => undefined), [1, 2]) as tf.Tensor2D);

  return {
    labels: extras.labels,
    inputSize: extras.inputSize,
    layers: layerNames,
    firstConvKernel: () => weights[`${blocks.find((l) => l.kind === 'conv')!.name}/kernel`] as tf.Tensor4D,
    dispose: () => tf.dispose(Object.values(weights)),
    logits,
    probabilities: (x) => tf.tidy(() => tf.softmax(logits(x))),
    features<N extends string>(x: tf.Tensor4D, names: readonly N[]) {
      for (const n of names) if (!layerNames.includes(n)) throw new Error(`darknet_tiny: unknown layer ${n} (known: ${layerNames.join(', ')}, last is ${lastBlock})`);
      const deepest = Math.max(...names.map((n) => layerNames.indexOf(n)));
      return tf.tidy(() => {
        const out = {} as Record<N, tf.Tensor4D>;
        run(x, deepest, (name, t) => {
          for (const n of names) if (n === name) out[n] = t;
        });
        return out;
      });
    },
  };
}
