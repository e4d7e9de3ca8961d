// VGG19 blocks 1-3 as a plain differentiable function over its weights (Simonyan & Zisserman 2014), the
// feature extractor of Gatys style transfer and of feature inversion. Input is RGB in [0, 1]; the Keras
// "caffe" preprocessing the weights were trained with is applied inside.
import * as tf from '@tensorflow/tfjs';
import { fusedConv } from './fused-conv';

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
  const preprocess = caffePreprocessAsConv(); // owned like the weights
  return {
    layers: VGG19_LAYERS,
    firstConvKernel: () => weights['block1_conv1/kernel'] as tf.Tensor4D,
    dispose: () => {
      tf.dispose(Object.values(weights));
      tf.dispose([preprocess.kernel, preprocess.bias]);
    },
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
        let h = fusedConv(x, preprocess.kernel, preprocess.bias, { op: 'conv2d', strides: [1, 1], padding: 'same', activation: 'none' });
        let step = 0;
        for (let b = 1; b <= 3 && step <= deepest; b++) {
          for (let i = 1; i <= BLOCK_CONVS[b - 1] && step <= deepest; i++) {
            const kernel = weights[`block${b}_conv${i}/kernel`] as tf.Tensor4D;
            const bias = weights[`block${b}_conv${i}/bias`] as tf.Tensor1D;
            if (wanted.has(`conv${b}_${i}`)) {
              // The pre-activation is asked for: separate ops, so it exists as a tensor of its own.
              const conv = tf.add(tf.conv2d(h, kernel, 1, 'same'), bias) as tf.Tensor4D;
              emit(`conv${b}_${i}`, conv);
              h = tf.relu(conv);
            } else {
              // conv + bias + ReLU as one op with an input-only gradient (fused-conv.ts). Measured at 512 px to
              // relu3_1 on WASM: the tape keeps one tensor per layer instead of three (conv, sum, ReLU) and the
              // backward pass runs one SIMD mask instead of TF.js's Step, Cast, Mul chain and the bias-add nodes.
              h = fusedConv(h, kernel, bias, { op: 'conv2d', strides: [1, 1], padding: 'same', activation: 'relu' });
            }
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

interface CaffePreprocess {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/**
 * caffePreprocess as one 1x1 convolution: the kernel is 255 times the RGB -> BGR permutation, the bias minus the
 * mean. Why: tfjs-backend-wasm's Reverse over channels and its broadcasting Sub are slow loops (measured at 512 px:
 * 25-43 ms for the Reverse and 10 ms for the Sub, ~3% of VGG19's forward pass to relu3_1, and the Reverse again in
 * the backward pass); this convolution takes ~1 ms each way. Same values up to rounding (one rounding instead of
 * two; test: vgg19.test.ts). Kept tensors (the network may be made inside a tidy), freed by its dispose().
 */
function caffePreprocessAsConv(): CaffePreprocess {
  const permutation = new Float32Array(9);
  for (let c = 0; c < 3; c++) permutation[(2 - c) * 3 + c] = 255; // input channel 2 − c (RGB) -> output c (BGR)
  return {
    kernel: tf.keep(tf.tensor4d(permutation, [1, 1, 3, 3])),
    bias: tf.keep(tf.tensor1d(VGG_BGR_MEAN.map((m) => -m))),
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
