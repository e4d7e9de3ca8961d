// Activation fake quantization: rounds a float activation to the uint8/int8 grid of the quantized TFLite graph,
// q(x) = (clip(round(x / scale) + zeroPoint, qmin, qmax) - zeroPoint) * scale, with a straight-through gradient
// (the gradient of x + stopGradient(q(x) - x): dy passes unchanged), so emulating networks stay differentiable.
import * as tf from '@tensorflow/tfjs';
import type { ActivationQuantization } from '../tflite/convert-mobilenet';
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

export interface KernelQuantization {
  input: ActivationQuantization;
  weightScale: number;
  weightZeroPoint: number;
  biasScale: number;
}

/** A conv kernel as integers w - zero_point split as 16 * hi + lo (lo in 0..15), and the int32 bias: with
 *  |x - zp| <= 255 every partial sum of x * hi and x * lo stays below 2^24, so float32 convolutions of them are
 *  exact whatever the summation order (the int32 accumulator of the quantized kernels, bit for bit). */
export interface IntegerKernel {
  hi: tf.Tensor4D;
  lo: tf.Tensor4D;
  bias: tf.Tensor | null;
}

export function integerKernel(kernel: tf.Tensor4D, bias: tf.Tensor | undefined, k: KernelQuantization): IntegerKernel {
  const [hi, lo] = tf.tidy(() => {
    const w = tf.round(tf.div(kernel, k.weightScale)); // dequantized exactly from (q - zp): rounding recovers it
    const high = tf.floor(tf.div(w, 16));
    return [high, tf.sub(w, tf.mul(high, 16))] as tf.Tensor4D[];
  });
  return { hi: hi!, lo: lo!, bias: bias ? tf.tidy(() => tf.round(tf.div(bias, k.biasScale))) : null };
}

export function disposeIntegerKernel(k: IntegerKernel): void {
  tf.dispose([k.hi, k.lo, ...(k.bias ? [k.bias] : [])]);
}

/**
 * A quantized conv as the uint8 kernels run it: int32 accumulator of (x - zp_in) * (w - zp_w) plus the int32 bias,
 * requantized with the float32 scale s_in * s_w / s_out (rounded half to even, as XNNPACK's fp32 requantization),
 * plus zp_out, clamped to the fused activation's range; returned dequantized. `x` must lie on its input grid.
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
    const conv = (w: tf.Tensor4D) =>
      options.op === 'depthwise' ? tf.depthwiseConv2d(xi, w, options.strides, options.padding) : tf.conv2d(xi, w, options.strides, options.padding);
    let acc: tf.Tensor = tf.add(tf.mul(conv(kernel.hi), 16), conv(kernel.lo));
    if (kernel.bias) acc = tf.add(acc, kernel.bias);
    const scale = Math.fround(Math.fround(k.input.scale * k.weightScale) / output.scale);
    const [lowest, highest] = activationRange(output, options.activation);
    const levels = tf.clipByValue(tf.add(tf.round(tf.mul(acc, scale)), output.zeroPoint), lowest, highest);
    return tf.mul(tf.sub(levels, output.zeroPoint), output.scale) as tf.Tensor4D;
  });
}

/** Clamp range of a fused activation on the output grid (TFLite's CalculateActivationRangeQuantized). */
function activationRange(q: ActivationQuantization, activation: Activation): [number, number] {
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
