// MobileNetV2 1.0 (ImageNet, 1001 classes) as a plain function over named weights converted from
// the TFLite classifier. Computes in float32 by default (the TFLite graph quantizes activations; we don't, so
// the network is smoothly differentiable for DeepDream and feature inversion). With `emulateQuantization` the
// convolutions run on the graph's exact integers (int32 accumulator, fp32 requantization, uint8 clamp) and the other
// uint8 activations (input, residual adds, pool, softmax) are rounded to their grids, with straight-through float
// gradients: this reproduces the quantized TFLite interpreter (it flips close calls that float computation does not).
import * as tf from '@tensorflow/tfjs';
import type { ConvLayerInfo, MobileNetBlockInfo, MobileNetExtras, MobileNetQuantization } from '../tflite/convert-mobilenet';
import { disposeIntegerKernel, fakeQuantize, integerConv, integerKernel, straightThrough, type IntegerKernel } from './fake-quant';
import { residualAdd } from './fused-conv';
import { asBatch, disposeMap, fusedConvLayer, globalAverage, kernelFusedConvLayer, weight } from './ops';

export type MobileNetEndpoint = 'stem' | `block_${number}` | 'head' | 'embedding' | 'logits';

export interface MobileNetOptions {
  /** Round activations to the TFLite graph's quantization grid (forward only: gradients pass straight through). */
  emulateQuantization?: boolean;
}

/** The graph's activation quantization when emulation is asked for (an error if the cache predates it). */
function emulatedQuantization(extras: MobileNetExtras, options: MobileNetOptions | undefined): MobileNetQuantization | undefined {
  if (!options?.emulateQuantization) return undefined;
  if (!extras.quantization) throw new Error('these MobileNetV2 weights carry no activation quantization (a float graph, or a cache from an older converter: run `npm run models`)');
  return extras.quantization;
}

/** Integer kernels for emulation, made on first use per weights map (kept out of any tidy; freed by `dispose`). */
const integerKernels = new WeakMap<tf.NamedTensorMap, Map<string, IntegerKernel>>();

function disposeIntegerKernels(weights: tf.NamedTensorMap): void {
  for (const k of integerKernels.get(weights)?.values() ?? []) disposeIntegerKernel(k);
  integerKernels.delete(weights);
}

/** A conv layer's output under emulation: the exact integer computation of the quantized graph when the manifest
 *  describes the layer's integers, else its float output rounded to the output grid; float gradient either way. */
function emulatedConv(
  x: tf.Tensor4D,
  float: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  name: string,
  layer: Pick<ConvLayerInfo, 'op' | 'strides' | 'padding' | 'activation'>,
  quantization: MobileNetQuantization,
): tf.Tensor4D {
  const output = quantization.layers[name];
  const k = quantization.kernels?.[name];
  if (!output || !k) return fakeQuantize(float, output);
  let cache = integerKernels.get(weights);
  if (!cache) integerKernels.set(weights, (cache = new Map()));
  let kernel = cache.get(name);
  if (!kernel) {
    kernel = integerKernel(weight<tf.Rank.R4>(weights, `${name}/weights`), weights[`${name}/bias`], k);
    tf.keep(kernel.hi);
    tf.keep(kernel.lo);
    if (kernel.bias) tf.keep(kernel.bias);
    cache.set(name, kernel);
  }
  return straightThrough(float, integerConv(x, kernel, k, output, layer));
}

/** Trunk shared with Magenta's style predictor: stem conv, inverted residual blocks, 1x1 head conv. Its layers are
 *  fused ops with input-only gradients (fused-conv.ts): DeepDream and inversion differentiate the pixels only. */
export function mobileNetV2Trunk(
  image: tf.Tensor4D,
  weights: tf.NamedTensorMap,
  extras: MobileNetExtras,
  /** Called with every endpoint as it is computed; return true to stop early (nothing further needed). */
  visit: (name: MobileNetEndpoint, x: tf.Tensor4D) => boolean = () => false,
  options?: MobileNetOptions,
): tf.Tensor4D | undefined {
  const quantization = emulatedQuantization(extras, options);
  const layers = new Map<string, ConvLayerInfo>(extras.layers.map((l) => [l.name, l]));
  const conv = (x: tf.Tensor4D, name: string) => {
    const l = layers.get(name);
    if (!l) throw new Error(`layer ${name} is missing from the manifest`);
    const y = fusedConvLayer(x, weights, name, l);
    return quantization ? emulatedConv(x, y, weights, name, l, quantization) : y;
  };
  const invertedResidual = (x: tf.Tensor4D, block: MobileNetBlockInfo) => {
    let h = block.expand ? conv(x, `${block.name}/expand`) : x;
    h = conv(h, `${block.name}/depthwise`);
    h = conv(h, `${block.name}/project`);
    if (!block.residual) return h;
    const sum = residualAdd(h, x);
    return quantization ? fakeQuantize(sum, quantization.residuals[block.name]) : sum;
  };

  // Pixels 0..1 -> what the first conv was trained on (read from the graph's input quantization).
  let x = tf.add(tf.mul(image, extras.input.multiply), extras.input.add) as tf.Tensor4D;
  if (quantization) x = fakeQuantize(x, quantization.input);
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

/** Every call takes `options` overriding the network's default (`createMobileNetV2`'s third argument). */
export interface MobileNetV2 {
  /** [N,1001] logits (index 0 = background). Any input size >= 32; classification is defined at 224x224. */
  logits(image: tf.Tensor3D | tf.Tensor4D, options?: MobileNetOptions): tf.Tensor2D;
  /** Softmax of the logits; when emulating quantization, also rounded to the graph's output grid (1/256). */
  probabilities(image: tf.Tensor3D | tf.Tensor4D, options?: MobileNetOptions): tf.Tensor2D;
  /** Chosen endpoints: 'stem', 'block_0'..'block_16' (after each inverted residual block), 'head' (1280 ch.
   *  before pooling), 'embedding' ([N,1280] global average), 'logits'. Stops after the deepest one asked. */
  endpoints<K extends MobileNetEndpoint>(image: tf.Tensor3D | tf.Tensor4D, names: readonly K[], options?: MobileNetOptions): Record<K, tf.Tensor>;
  /** Whether calls without options emulate the graph's activation quantization. */
  readonly emulatesQuantization: boolean;
  readonly blockCount: number;
  /** The 1001 ImageNet labels (index 0 = background) that the setup step stores beside the weights. */
  readonly labels: readonly string[];
  /** The stem conv's kernel, HWIO [3,3,3,32], RGB (borrowed: do not dispose). */
  firstConvKernel(): tf.Tensor4D;
  dispose(): void;
}

/** Takes ownership of `weights` (disposed by `dispose()`). Images are RGB floats in 0..1, [H,W,3] or [N,H,W,3]. */
export function createMobileNetV2(weights: tf.NamedTensorMap, extras: MobileNetExtras, defaults: MobileNetOptions = {}): MobileNetV2 {
  const emulatesQuantization = defaults.emulateQuantization ?? false;
  if (emulatesQuantization) emulatedQuantization(extras, defaults); // fail early on a cache without quantization
  const resolve = (options: MobileNetOptions | undefined): MobileNetOptions => ({ emulateQuantization: options?.emulateQuantization ?? emulatesQuantization });
  const endpoints = <K extends MobileNetEndpoint>(image: tf.Tensor3D | tf.Tensor4D, names: readonly K[], options?: MobileNetOptions) =>
    tf.tidy(() => {
      const resolved = resolve(options);
      const quantization = emulatedQuantization(extras, resolved);
      const wanted = new Set<string>(names);
      const out: Partial<Record<string, tf.Tensor>> = {};
      const needsHeadOrLater = wanted.has('embedding') || wanted.has('logits');
      const take = (name: string, x: tf.Tensor) => {
        if (wanted.has(name)) out[name] = x;
        wanted.delete(name);
        return wanted.size === 0;
      };
      const head = mobileNetV2Trunk(asBatch(image), weights, extras, (name, x) => take(name, x) && !needsHeadOrLater, resolved);
      if (head && (wanted.has('embedding') || wanted.has('logits'))) {
        // Global average pool (the graph's 7x7 AVERAGE_POOL_2D at 224, generalised to any size).
        let pooled = globalAverage(head);
        if (quantization) pooled = fakeQuantize(pooled, quantization.pooled);
        take('embedding', tf.reshape(pooled, [pooled.shape[0], -1]));
        const classifier: Pick<ConvLayerInfo, 'op' | 'strides' | 'padding' | 'activation'> = { op: 'conv2d', strides: [1, 1], padding: 'same', activation: 'none' };
        let logits = kernelFusedConvLayer(pooled, weights, extras.classifier, classifier);
        if (quantization) logits = emulatedConv(pooled, logits, weights, extras.classifier, classifier, quantization);
        take('logits', tf.reshape(logits, [logits.shape[0], -1]));
      }
      if (wanted.size > 0) throw new Error(`unknown MobileNetV2 endpoints: ${[...wanted].join(', ')}`);
      return out as Record<K, tf.Tensor>;
    });
  const logits = (image: tf.Tensor3D | tf.Tensor4D, options?: MobileNetOptions) => endpoints(image, ['logits'], options).logits as tf.Tensor2D;
  return {
    logits,
    probabilities: (image, options) =>
      tf.tidy(() => {
        const p = tf.softmax(logits(image, options));
        const quantization = emulatedQuantization(extras, resolve(options));
        return quantization ? fakeQuantize(p, quantization.probabilities) : p;
      }),
    endpoints,
    emulatesQuantization,
    blockCount: extras.blocks.length,
    labels: (extras as MobileNetExtras & { labels?: string[] }).labels ?? [],
    firstConvKernel: () => weight<tf.Rank.R4>(weights, `${extras.stem}/weights`),
    dispose: () => {
      disposeIntegerKernels(weights);
      disposeMap(weights);
    },
  };
}
