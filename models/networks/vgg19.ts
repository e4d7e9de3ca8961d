// VGG19 blocks 1-3 as a plain differentiable function over its weights (Simonyan & Zisserman 2014), the
// feature extractor of Gatys style transfer and of feature inversion. Input is RGB in [0, 1]; the Keras
// "caffe" preprocessing the weights were trained with is applied inside.
import * as tf from '@tensorflow/tfjs';

/** Conv layers per block (VGG19: 2, 2, 4 in blocks 1-3). */
const BLOCK_CONVS = [2, 2, 4] as const;
/** ImageNet mean in BGR order, on the 0..255 scale (Keras `preprocess_input(mode='caffe')`). */
export const VGG_BGR_MEAN = [103.939, 116.779, 123.68] as const;

type Block = 1 | 2 | 3;
type BlockConv<B extends Block> = B extends 3 ? 1 | 2 | 3 | 4 : 1 | 2;
type CaffeName<B extends Block> = `conv${B}_${BlockConv<B>}` | `relu${B}_${BlockConv<B>}` | `pool${B}`;
type KerasName<B extends Block> = `block${B}_conv${BlockConv<B>}` | `block${B}_pool`;

/**
 * One clear scheme plus Keras aliases:
 * - `convB_I` is the conv output before ReLU, `reluB_I` after it, `poolB` the 2x2 max pool ending block B;
 * - Keras names mean what the Keras layers output: `blockB_convI` == `reluB_I` (Keras fuses the ReLU),
 *   `blockB_pool` == `poolB`.
 */
export type Vgg19Layer = CaffeName<1> | CaffeName<2> | CaffeName<3> | KerasName<1> | KerasName<2> | KerasName<3>;

export interface Vgg19 {
  /** Every canonical layer name, in forward order. */
  readonly layers: readonly Vgg19Layer[];
  /**
   * Activations of the requested layers for `x` ([1, H, W, 3], RGB in [0, 1]). Runs only as deep as the deepest
   * requested layer. Differentiable; returns new tensors owned by the caller.
   */
  features<N extends Vgg19Layer>(x: tf.Tensor4D, names: readonly N[]): Record<N, tf.Tensor4D>;
  /** The first conv's kernel, HWIO [3,3,3,64], input channels in BGR order (borrowed: do not dispose). */
  firstConvKernel(): tf.Tensor4D;
  /** Frees the weights (the network owns them, like the other networks). */
  dispose(): void;
}

export const VGG19_LAYERS: readonly Vgg19Layer[] = buildLayerList();

/** Takes ownership of `weights` (disposed by `dispose()`). */
export function createVgg19(weights: tf.NamedTensorMap): Vgg19 {
  for (let b = 1; b <= 3; b++) {
    for (let i = 1; i <= BLOCK_CONVS[b - 1]; i++) {
      for (const part of ['kernel', 'bias']) {
        if (!weights[`block${b}_conv${i}/${part}`]) throw new Error(`vgg19: weight block${b}_conv${i}/${part} missing`);
      }
    }
  }
  return {
    layers: VGG19_LAYERS,
    firstConvKernel: () => weights['block1_conv1/kernel'] as tf.Tensor4D,
    dispose: () => tf.dispose(Object.values(weights)),
    features<N extends Vgg19Layer>(x: tf.Tensor4D, names: readonly N[]): Record<N, tf.Tensor4D> {
      if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`vgg19: input must be [1, H, W, 3], got [${x.shape}]`);
      const wanted = new Map<string, N[]>(); // canonical name -> requested names (aliases may repeat a layer)
      for (const name of names) {
        const canonical = canonicalName(name);
        wanted.set(canonical, [...(wanted.get(canonical) ?? []), name]);
      }
      const deepest = Math.max(...[...wanted.keys()].map((n) => VGG19_LAYERS.indexOf(n as Vgg19Layer)));
      return tf.tidy(() => {
        const out = {} as Record<N, tf.Tensor4D>;
        const emit = (name: string, t: tf.Tensor4D) => {
          for (const requested of wanted.get(name) ?? []) out[requested] = t;
        };
        let h = caffePreprocess(x);
        let step = 0;
        for (let b = 1; b <= 3 && step <= deepest; b++) {
          for (let i = 1; i <= BLOCK_CONVS[b - 1] && step <= deepest; i++) {
            const conv = tf.add(tf.conv2d(h, weights[`block${b}_conv${i}/kernel`] as tf.Tensor4D, 1, 'same'), weights[`block${b}_conv${i}/bias`]) as tf.Tensor4D;
            emit(`conv${b}_${i}`, conv);
            h = tf.relu(conv);
            emit(`relu${b}_${i}`, h);
            step += 2;
          }
          if (step > deepest) break;
          h = tf.maxPool(h, 2, 2, 'valid');
          emit(`pool${b}`, h);
          step += 1;
        }
        return out;
      });
    },
  };
}

/** RGB [0, 1] -> BGR, 0..255, minus the ImageNet mean: what the Keras VGG weights expect. */
export function caffePreprocess(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.mul(tf.reverse(x, 3), 255), tf.tensor1d(VGG_BGR_MEAN as unknown as number[])) as tf.Tensor4D);
}

/** The canonical (conv/relu/pool) name of a layer given in either scheme. */
export function canonicalName(name: Vgg19Layer): Vgg19Layer {
  const keras = /^block(\d)_(conv(\d)|pool)$/.exec(name);
  if (keras) return (keras[3] ? `relu${keras[1]}_${keras[3]}` : `pool${keras[1]}`) as Vgg19Layer;
  if (!VGG19_LAYERS.includes(name)) throw new Error(`vgg19: unknown layer ${name}`);
  return name;
}

function buildLayerList(): Vgg19Layer[] {
  const layers: string[] = [];
  BLOCK_CONVS.forEach((convs, index) => {
    const b = index + 1;
    for (let i = 1; i <= convs; i++) layers.push(`conv${b}_${i}`, `relu${b}_${i}`);
    layers.push(`pool${b}`);
  });
  return layers as Vgg19Layer[];
}
