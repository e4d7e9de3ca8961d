// The integer forms of a quantized graph's layers, made on first use per weights map and kept (out of any tidy) until
// the network is disposed: each conv's integers for the float emulation (fake-quant.ts), and the whole integer trunk
// (quantized-mobilenet.ts).
import * as tf from '@tensorflow/tfjs';
import type { ConvLayerInfo, MobileNetExtras, MobileNetQuantization } from '../tflite/convert-mobilenet';
import { integerKernel, integerKernelTensors, kernelQuantization, type IntegerKernel, type KernelQuantization } from './fake-quant';
import { weight } from './ops';
import { integerMobileNet, integerTrunkReady, type IntegerMobileNet } from './quantized-mobilenet';

export interface EmulationKernel {
  kernel: IntegerKernel;
  k: KernelQuantization;
}

/** By weights map, by layer: its integers, or null where the graph does not describe them. */
const emulationKernels = new WeakMap<tf.NamedTensorMap, Map<string, EmulationKernel | null>>();
/** By weights map: the integer trunk, or null where these weights cannot take it. */
const integerTrunks = new WeakMap<tf.NamedTensorMap, IntegerMobileNet | null>();

/** Layer `name`'s integers for the float emulation (integerConv), or null where the graph gives none. */
export function emulationKernel(weights: tf.NamedTensorMap, quantization: MobileNetQuantization, name: string, op: ConvLayerInfo['op']): EmulationKernel | null {
  let layers = emulationKernels.get(weights);
  if (!layers) emulationKernels.set(weights, (layers = new Map()));
  if (!layers.has(name)) {
    const k = kernelQuantization(weights, quantization, name);
    const kernel = k ? integerKernel(weight<tf.Rank.R4>(weights, `${name}/weights`), weights[`${name}/bias`], k, op) : null;
    if (kernel) integerKernelTensors(kernel).forEach((t) => tf.keep(t));
    layers.set(name, kernel && k ? { kernel, k } : null);
  }
  return layers.get(name)!;
}

/** The integer trunk where it runs (WASM with SIMD, no gradient tape) and these weights describe every layer's
 *  integers; else null (the float emulation runs). */
export function integerTrunkFor(weights: tf.NamedTensorMap, extras: MobileNetExtras, quantization: MobileNetQuantization): IntegerMobileNet | null {
  if (!integerTrunkReady()) return null;
  if (!integerTrunks.has(weights)) integerTrunks.set(weights, integerMobileNet(weights, extras, quantization));
  return integerTrunks.get(weights)!;
}

/** Makes now the integer forms that forward passes on the current backend will use (the integer trunk and the final
 *  conv's integers on WASM, every layer's integers elsewhere), for a network that always computes the quantized
 *  graph: its first pass then makes nothing that stays (and a job's tensor count is the same before and after). */
export function prepareQuantizedLayers(weights: tf.NamedTensorMap, extras: MobileNetExtras, quantization: MobileNetQuantization): void {
  const trunk = integerTrunkFor(weights, extras, quantization);
  for (const layer of extras.layers) {
    if ((!trunk || layer.name === extras.classifier) && quantization.layers[layer.name]) emulationKernel(weights, quantization, layer.name, layer.op);
  }
}

/** Frees every integer form made for these weights. */
export function disposeQuantizedLayers(weights: tf.NamedTensorMap): void {
  for (const layer of emulationKernels.get(weights)?.values() ?? []) if (layer) tf.dispose(integerKernelTensors(layer.kernel));
  emulationKernels.delete(weights);
  integerTrunks.get(weights)?.dispose();
  integerTrunks.delete(weights);
}
