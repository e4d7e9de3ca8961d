// MobileNetV2 1.0 (ImageNet, 1001 classes) as a plain function over named weights converted from
// the TFLite classifier. Computes in float32 by default (the TFLite graph quantizes activations; we don't, so
// the network is smoothly differentiable for DeepDream and feature inversion). With `emulateQuantization` the
// convolutions run on the graph's exact integers (int32 accumulator, fp32 requantization, uint8 clamp) and the other
// uint8 activations (input, residual adds, pool, softmax) are rounded to their grids, with straight-through float
// gradients: this reproduces the quantized TFLite interpreter (it flips close calls that float computation does not).
// Asked only for the head or what follows it, on WASM outside a gradient tape, emulation runs the same arithmetic on
// integer kernels instead (quantized-mobilenet.ts): level for level the same, as fast as the interpreter.
import * as tf from '@tensorflow/tfjs';
import type { ConvLayerInfo, MobileNetBlockInfo, MobileNetExtras, MobileNetQuantization } from '../tflite/convert-mobilenet';
import { fakeQuantize, integerConv, straightThrough } from './fake-quant';
import { residualAdd } from './fused-conv';
import { integerMobileNetTrunk } from './quantized-mobilenet';
import { disposeQuantizedLayers, emulationKernel, integerTrunkFor } from './quantized-layers';
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

/** A conv layer's output under emulation: the exact integer computation of the quantized graph when the graph
 *  describes the layer's integers, else its float output rounded to the output grid; float gradient either way
 *  (the float conv carries only the gradient, so it is computed only under a gradient tape). */
function emulatedConv(
  x: tf.Tensor4D,
  float: () => tf.Tensor4D,
  weights: tf.NamedTensorMap,
  name: string,
  layer: Pick<ConvLayerInfo, 'op' | 'strides' | 'padding' | 'activation'>,
  quantization: MobileNetQuantization,
): tf.Tensor4D {
  const output = quantization.layers[name];
  const integer = output ? emulationKernel(weights, quantization, name, layer.op) : null;
  if (!output || !integer) return fakeQuantize(float(), output);
  const y = integerConv(x, integer.kernel, integer.k, output, layer);
  return tf.engine().isTapeOn() ? straightThrough(float(), y) : y;
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
    const float = () => fusedConvLayer(x, weights, name, l);
    return quantization ? emulatedConv(x, float, weights, name, l, quantization) : float();
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

/** The head's output [N,h,w,C]: on the integer trunk where it runs (emulating quantization on WASM, forward only),
 *  else mobileNetV2Trunk's. */
export function mobileNetV2Head(image: tf.Tensor4D, weights: tf.NamedTensorMap, extras: MobileNetExtras, options?: MobileNetOptions): tf.Tensor4D {
  const quantization = emulatedQuantization(extras, options);
  const integer = quantization ? integerTrunkFor(weights, extras, quantization) : null;
  return integer ? integerMobileNetTrunk(image, integer) : mobileNetV2Trunk(image, weights, extras, undefined, options)!;
}

/** The global average of the head [N,1,1,C] (the graph's AVERAGE_POOL_2D or MEAN, at any size) and the final 1x1
 *  conv over it (the classifier's logits, the predictor's style bottleneck), on the graph's grids when emulating. */
export function pooledOutput(head: tf.Tensor4D, weights: tf.NamedTensorMap, extras: MobileNetExtras, options?: MobileNetOptions): { pooled: tf.Tensor4D; output: tf.Tensor4D } {
  const quantization = emulatedQuantization(extras, options);
  let pooled = globalAverage(head);
  if (quantization) pooled = fakeQuantize(pooled, quantization.pooled);
  const layer: Pick<ConvLayerInfo, 'op' | 'strides' | 'padding' | 'activation'> = { op: 'conv2d', strides: [1, 1], padding: 'same', activation: 'none' };
  const float = () => kernelFusedConvLayer(pooled, weights, extras.classifier, layer);
  return { pooled, output: quantization ? emulatedConv(pooled, float, weights, extras.classifier, layer, quantization) : float() };
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
      const wanted = new Set<string>(names);
      const out: Partial<Record<string, tf.Tensor>> = {};
      const needsHeadOrLater = wanted.has('embedding') || wanted.has('logits');
      const take = (name: string, x: tf.Tensor) => {
        if (wanted.has(name)) out[name] = x;
        wanted.delete(name);
        return wanted.size === 0;
      };
      // Only the head and what follows it asked for: the integer trunk where it runs (it has no inner endpoints).
      const headOnly = names.every((n) => n === 'head' || n === 'embedding' || n === 'logits');
      const head = headOnly
        ? mobileNetV2Head(asBatch(image), weights, extras, resolved)
        : mobileNetV2Trunk(asBatch(image), weights, extras, (name, x) => take(name, x) && !needsHeadOrLater, resolved);
      if (headOnly) take('head', head!);
      if (head && (wanted.has('embedding') || wanted.has('logits'))) {
        const { pooled, output } = pooledOutput(head, weights, extras, resolved);
        take('embedding', tf.reshape(pooled, [pooled.shape[0], -1]));
        take('logits', tf.reshape(output, [output.shape[0], -1]));
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
      disposeQuantizedLayers(weights);
      disposeMap(weights);
    },
  };
}
