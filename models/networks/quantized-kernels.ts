// The integer kernels of a quantized network's forward pass on WASM: what TFLite's uint8/int8 graph computes,
// computed the same way (int32 accumulators, float32 requantization rounded half to even, clamped levels).
//
// Why: the TFLite interpreter runs MobileNetV2 in uint8 with XNNPACK, and its 1x1 convolutions (most of the work)
// are ~1.5x faster than any float32 kernel on this CPU: float32 SIMD peaks at four multiply-adds an instruction,
// i32x4.dot_i16x8_s does eight. So the forward-only uses that ask for the graph's own arithmetic
// (`emulateQuantization`) run on these instead of emulating the integers with float convolutions.
//
// Activations between layers are centred levels (level - zero point) in one of two forms: int16, two to an int32
// tensor element (QuantizedActivation: the integer GEMM's input), or float32 (XNNPACK's float depthwise and
// convolution take them as is: with |level| <= 255 and |weight| <= 255 their sums of up to 9 x 3 products stay
// far below 2^24, so float32 computes them exactly).
import * as tf from '@tensorflow/tfjs';
import { simdQuantizedGemmModule, type QuantizedOutput } from './simd-quantized-gemm-module';
import { simdQuantizedAddModule, simdRequantizeModule } from './simd-requantize-module';
import { memoryOffset, wasmSimdKernel, type SimdKernel } from './wasm-simd-kernel';

/** Centred int16 levels of an NHWC activation, packed two to an int32; real value = scale · level. */
export interface QuantizedActivation {
  levels: tf.Tensor1D;
  shape: [number, number, number, number];
  scale: number;
}

/** A 1x1 convolution's integers, packed for the GEMM (packPointwiseKernel), with its int32 bias and the float32
 *  requantization scale s_in · s_w / s_out of each output channel, and the clamp range of its output levels. */
export interface PointwiseLayer {
  kernel: tf.Tensor1D;
  bias: tf.Tensor1D;
  scale: tf.Tensor1D;
  inChannels: number;
  outChannels: number;
  range: [lo: number, hi: number];
  outputScale: number;
}

type Pointwise = (x: number, w: number, bias: number, scale: number, out: number, pixels: number, kBytes: number, blocks: number, lo: number, hi: number) => void;
type Requantize = (x: number, scale: number, out: number, pixels: number, channelBytes: number, lo: number, hi: number) => void;
type Add = (a: number, b: number, out: number, groups: number, sa: number, sb: number, so: number, lo: number, hi: number) => void;

interface PointwiseAttrs {
  pixels: number;
  inChannels: number;
  outChannels: number;
  lo: number;
  hi: number;
  shape: number[];
}

const pointwiseKernel = (output: QuantizedOutput) =>
  wasmSimdKernel<Pointwise>({
    name: `PasticheQuantizedPointwise_${output}`,
    module: (shared) => simdQuantizedGemmModule(output, shared),
    exportName: 'pointwise',
    kernel(run, { inputs, attrs, backend }) {
      const { x, kernel, bias, scale } = inputs as Record<string, tf.TensorInfo>;
      const a = attrs as unknown as PointwiseAttrs;
      const out = output === 'int16' ? backend.makeOutput([(a.pixels * a.outChannels) / 2], 'int32') : backend.makeOutput(a.shape, 'float32');
      const [xAt, kAt, bAt, sAt, oAt] = [x!, kernel!, bias!, scale!, out].map((t) => memoryOffset(backend, t));
      run(xAt, kAt, bAt, sAt, oAt, a.pixels, a.inChannels * 2, a.outChannels / 8, a.lo, a.hi);
      return out;
    },
  });

const requantizeKernel = (output: QuantizedOutput) =>
  wasmSimdKernel<Requantize>({
    name: `PasticheRequantize_${output}`,
    module: (shared) => simdRequantizeModule(output, shared),
    exportName: 'requantize',
    kernel(run, { inputs, attrs, backend }) {
      const { x, scale } = inputs as Record<string, tf.TensorInfo>;
      const { lo, hi } = attrs as unknown as { lo: number; hi: number };
      const channels = x!.shape[3]!;
      const pixels = tf.util.sizeFromShape(x!.shape) / channels;
      const out = output === 'int16' ? backend.makeOutput([(pixels * channels) / 2], 'int32') : backend.makeOutput(x!.shape, 'float32');
      run(memoryOffset(backend, x!), memoryOffset(backend, scale!), memoryOffset(backend, out), pixels, channels * 4, lo, hi);
      return out;
    },
  });

const addKernel = wasmSimdKernel<Add>({
  name: 'PasticheQuantizedAdd',
  module: simdQuantizedAddModule,
  exportName: 'add',
  kernel(run, { inputs, attrs, backend }) {
    const { a, b } = inputs as Record<string, tf.TensorInfo>;
    const { sa, sb, so, lo, hi } = attrs as unknown as Record<string, number>;
    const out = backend.makeOutput(a!.shape, 'int32');
    run(memoryOffset(backend, a!), memoryOffset(backend, b!), memoryOffset(backend, out), tf.util.sizeFromShape(a!.shape) / 4, sa!, sb!, so!, lo!, hi!);
    return out;
  },
});

const KERNELS: SimdKernel[] = [pointwiseKernel('int16'), pointwiseKernel('float32'), requantizeKernel('int16'), requantizeKernel('float32'), addKernel];
const [pointwiseInt16, pointwiseFloat32, requantizeInt16, requantizeFloat32] = KERNELS as [SimdKernel, SimdKernel, SimdKernel, SimdKernel, SimdKernel];

/** Whether the integer kernels run here (the WASM backend with SIMD), registering them the first time. */
export function quantizedKernelsReady(): boolean {
  return KERNELS.every((k) => k.ready());
}

/** A 1x1 convolution (stride 1) of centred int16 levels: the next layer's int16 levels, or float32 levels [N,H,W,C]. */
export function pointwise(x: QuantizedActivation, layer: PointwiseLayer, output: 'int16'): QuantizedActivation;
export function pointwise(x: QuantizedActivation, layer: PointwiseLayer, output: 'float32'): tf.Tensor4D;
export function pointwise(x: QuantizedActivation, layer: PointwiseLayer, output: QuantizedOutput): QuantizedActivation | tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c !== layer.inChannels) throw new Error(`pointwise: ${c} input channels for a kernel of ${layer.inChannels}`);
  const shape: [number, number, number, number] = [n, h, w, layer.outChannels];
  const attrs: PointwiseAttrs = { pixels: n * h * w, inChannels: c, outChannels: layer.outChannels, lo: layer.range[0], hi: layer.range[1], shape };
  const inputs = { x: x.levels, kernel: layer.kernel, bias: layer.bias, scale: layer.scale };
  if (output === 'float32') return pointwiseFloat32.run<tf.Tensor4D>(inputs, attrs);
  return { levels: pointwiseInt16.run<tf.Tensor1D>(inputs, attrs), shape, scale: layer.outputScale };
}

/** Float32 sums of integer products [N,H,W,C] (C a multiple of 8) onto an output grid: level = clamp(round(x · scale[c])). */
export function requantize(x: tf.Tensor4D, scale: tf.Tensor1D, range: [number, number], outputScale: number, output: 'int16'): QuantizedActivation;
export function requantize(x: tf.Tensor4D, scale: tf.Tensor1D, range: [number, number], outputScale: number, output: 'float32'): tf.Tensor4D;
export function requantize(x: tf.Tensor4D, scale: tf.Tensor1D, range: [number, number], outputScale: number, output: QuantizedOutput): QuantizedActivation | tf.Tensor4D {
  const attrs = { lo: range[0], hi: range[1] };
  if (output === 'float32') return requantizeFloat32.run<tf.Tensor4D>({ x, scale }, attrs);
  return { levels: requantizeInt16.run<tf.Tensor1D>({ x, scale }, attrs), shape: x.shape, scale: outputScale };
}

/** a + b onto an output grid of `outputScale` (a residual ADD), as centred int16 levels. */
export function quantizedAdd(a: QuantizedActivation, b: QuantizedActivation, outputScale: number, range: [number, number]): QuantizedActivation {
  if (!tf.util.arraysEqual(a.shape, b.shape)) throw new Error(`quantizedAdd: shapes [${a.shape}] and [${b.shape}] differ`);
  const attrs = { sa: a.scale, sb: b.scale, so: outputScale, lo: range[0], hi: range[1] };
  return { levels: addKernel.run<tf.Tensor1D>({ a: a.levels, b: b.levels }, attrs), shape: a.shape, scale: outputScale };
}
