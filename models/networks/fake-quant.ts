// Activation fake quantization: rounds a float activation to the uint8/int8 grid of the quantized TFLite graph,
// q(x) = (clip(round(x / scale) + zeroPoint, qmin, qmax) - zeroPoint) * scale, with a straight-through gradient
// (the gradient of x + stopGradient(q(x) - x): dy passes unchanged), so emulating networks stay differentiable.
import * as tf from '@tensorflow/tfjs';
import type { ActivationQuantization, MobileNetQuantization } from '../tflite/convert-mobilenet';
import type { Activation, ConvLayerOptions } from './ops';

/** q(x) forward, identity backward. `q` undefined (a float graph, an older cache): x unchanged. */
export function fakeQuantize<T extends tf.Tensor>(x: T, q: ActivationQuantization | undefined): T {
  if (!q) return x;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const levels = tf.clipByValue(tf.add(tf.round(tf.div(input, q.scale)), q.zeroPoint), q.qmin, q.qmax);
    return { value: tf.mul(tf.sub(levels, q.zeroPoint), q.scale), gradFunc: (dy: tf.Tensor) => dy };
  });
  return f(x) as T;
}

/** The forward value of `quantized` with the gradient of `float` (x + stopGradient(q - x), computed exactly). */
export function straightThrough<T extends tf.Tensor>(float: T, quantized: T): T {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    // float * 0 + quantized: the quantized values bit for bit (the input is only there for the gradient).
    value: tf.add(tf.mul(args[0] as tf.Tensor, 0), quantized),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return f(float) as T;
}

/** A conv's integer arithmetic: its input's grid and the scales of its kernel and int32 bias, one for all output
 *  channels (uint8 graphs) or one per output channel (int8 graphs). Read with `kernelQuantization`. */
export interface KernelQuantization {
  input: ActivationQuantization;
  weightScales: Float32Array;
  biasScales: Float32Array;
}

/** Layer `name`'s integer arithmetic from the graph's description (per-tensor scales in the manifest, per-channel
 *  ones in the weights), or undefined where the graph gives none. Reads weights: call once per layer and keep it. */
export function kernelQuantization(weights: tf.NamedTensorMap, q: MobileNetQuantization, name: string): KernelQuantization | undefined {
  const perTensor = q.kernels?.[name];
  if (perTensor) return { input: perTensor.input, weightScales: Float32Array.of(perTensor.weightScale), biasScales: Float32Array.of(perTensor.biasScale) };
  const perChannel = q.channelKernels?.[name];
  const scales = perChannel ? channelScalesOf(weights) : undefined;
  const [weightScales, biasScales] = [scales?.get(`${name}/weight_scales`), scales?.get(`${name}/bias_scales`)];
  if (!perChannel || !weightScales || !biasScales) return undefined;
  return { input: perChannel.input, weightScales, biasScales };
}

/** Every per-channel scale tensor of a weights map, read back in one go (on a GPU, one read instead of a hundred). */
const channelScaleValues = new WeakMap<tf.NamedTensorMap, Map<string, Float32Array>>();

function channelScalesOf(weights: tf.NamedTensorMap): Map<string, Float32Array> {
  let values = channelScaleValues.get(weights);
  if (!values) {
    const names = Object.keys(weights).filter((n) => n.endsWith('/weight_scales') || n.endsWith('/bias_scales'));
    const all = names.length > 0 ? tf.tidy(() => tf.concat(names.map((n) => tf.reshape(weights[n]!, [-1]))).dataSync() as Float32Array) : new Float32Array(0);
    values = new Map();
    let at = 0;
    for (const n of names) {
      const size = weights[n]!.size;
      values.set(n, all.slice(at, at + size));
      at += size;
    }
    channelScaleValues.set(weights, values);
  }
  return values;
}

/** Each output channel's requantization scale s_in · s_w / s_out in float32, as XNNPACK's fp32 requantization
 *  computes it (one value when the kernel has one scale). */
export function requantizationScales(k: KernelQuantization, output: ActivationQuantization): Float32Array {
  return k.weightScales.map((s) => Math.fround(Math.fround(k.input.scale * s) / output.scale));
}

/** A conv kernel as integers w - zero_point, and the int32 bias. Float32 convolutions of integers are exact while
 *  every partial sum stays below 2^24: when K · 255 · (largest |w| of the format) does, `whole` is the kernel (every
 *  depthwise and stem kernel, 1x1 ones over up to 258 uint8 or 513 int8 channels); else it is split as
 *  16 · hi + lo (lo in 0..15), whose sums stay below 2^24 with |x - zp| <= 255 (the int32 accumulator of the
 *  quantized kernels, bit for bit, whatever the summation order). */
export type IntegerKernel = ({ whole: tf.Tensor4D } | { hi: tf.Tensor4D; lo: tf.Tensor4D }) & { bias: tf.Tensor | null };

/** The scales of a kernel [h,w,in,out] or depthwise [h,w,C,1], shaped to divide it channel by channel. */
function channelScales(scales: Float32Array, op: ConvLayerOptions['op']): tf.Tensor | number {
  if (scales.length === 1) return scales[0]!;
  return op === 'depthwise' ? tf.tensor2d(scales, [scales.length, 1]) : tf.tensor1d(scales);
}

/** The kernel's integers q - zero_point (exact: it was dequantized from them, and rounding recovers them). */
export function kernelLevels(kernel: tf.Tensor4D, k: KernelQuantization, op: ConvLayerOptions['op']): tf.Tensor4D {
  return tf.tidy(() => tf.round(tf.div(kernel, channelScales(k.weightScales, op))) as tf.Tensor4D);
}

/** The int32 bias (as float32 integers). */
export function biasLevels(bias: tf.Tensor, k: KernelQuantization): tf.Tensor1D {
  return tf.tidy(() => tf.round(tf.div(bias, channelScales(k.biasScales, 'conv2d'))) as tf.Tensor1D);
}

export function integerKernel(kernel: tf.Tensor4D, bias: tf.Tensor | undefined, k: KernelQuantization, op: ConvLayerOptions['op']): IntegerKernel {
  const levels = kernelLevels(kernel, k, op);
  const integerBias = bias ? biasLevels(bias, k) : null;
  const [h, w, inChannels] = kernel.shape;
  const terms = op === 'depthwise' ? h * w : h * w * inChannels;
  // The largest |w - zp| the format allows (not read from the kernel: on a GPU that would be a read per layer):
  // uint8 with one zero point 255, int8 per channel (zero point 0) 128.
  const largest = k.weightScales.length === 1 ? 255 : 128;
  if (terms * 255 * largest < 2 ** 24) return { whole: levels, bias: integerBias };
  const [hi, lo] = tf.tidy(() => {
    const high = tf.floor(tf.div(levels, 16));
    return [high, tf.sub(levels, tf.mul(high, 16))] as tf.Tensor4D[];
  });
  levels.dispose();
  return { hi: hi!, lo: lo!, bias: integerBias };
}

export function integerKernelTensors(k: IntegerKernel): tf.Tensor[] {
  return [...('whole' in k ? [k.whole] : [k.hi, k.lo]), ...(k.bias ? [k.bias] : [])];
}

/**
 * A quantized conv as the uint8/int8 kernels run it: int32 accumulator of (x - zp_in) * (w - zp_w) plus the int32
 * bias, requantized with the float32 scale s_in * s_w / s_out of each output channel (rounded half to even, as
 * XNNPACK's fp32 requantization), plus zp_out, clamped to the fused activation's range; returned dequantized.
 * `x` must lie on its input grid.
 */
export function integerConv(
  x: tf.Tensor4D,
  kernel: IntegerKernel,
  k: KernelQuantization,
  output: ActivationQuantization,
  options: ConvLayerOptions,
): tf.Tensor4D {
  return tf.tidy(() => {
    const xi = tf.round(tf.div(x, k.input.scale)) as tf.Tensor4D; // q - zp_in; padding with 0 = padding with zp_in
    const conv = (filter: tf.Tensor4D, bias?: tf.Tensor) => {
      const args = { x: xi, filter, strides: options.strides, pad: options.padding, ...(bias ? { bias } : {}) };
      return options.op === 'depthwise' ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
    };
    const bias = kernel.bias ?? undefined;
    const acc = 'whole' in kernel ? conv(kernel.whole, bias) : tf.add(tf.mul(conv(kernel.hi), 16), conv(kernel.lo, bias));
    const scales = requantizationScales(k, output);
    // Levels minus zp_out, clamped to the activation's range (the same integers as clamping the levels themselves).
    const [lowest, highest] = activationRange(output, options.activation);
    const levels = tf.clipByValue(tf.round(tf.mul(acc, scales.length === 1 ? scales[0]! : tf.tensor1d(scales))), lowest - output.zeroPoint, highest - output.zeroPoint);
    return tf.mul(levels, output.scale) as tf.Tensor4D;
  });
}

/** Clamp range of a fused activation on the output grid (TFLite's CalculateActivationRangeQuantized). */
export function activationRange(q: ActivationQuantization, activation: Activation): [number, number] {
  const level = (v: number) => q.zeroPoint + Math.round(v / q.scale);
  switch (activation) {
    case 'none':
      return [q.qmin, q.qmax];
    case 'relu':
      return [Math.max(q.qmin, level(0)), q.qmax];
    case 'relu6':
      return [Math.max(q.qmin, level(0)), Math.min(q.qmax, level(6))];
    case 'relu_n1_to_1':
      return [Math.max(q.qmin, level(-1)), Math.min(q.qmax, level(1))];
    default:
      throw new Error(`activation ${activation} cannot be emulated on integers`);
  }
}
