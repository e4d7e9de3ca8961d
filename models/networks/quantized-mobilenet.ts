// MobileNetV2's trunk (stem, inverted residual blocks, head) on the integer kernels of quantized-kernels.ts: the
// forward pass of the quantized TFLite graph, level for level what `emulateQuantization` computes with float
// convolutions (fake-quant.ts), on WASM, forward only (no gradient: the emulation runs under a tape).
//
//   input     clip(round(x / s_in))                      centred float levels (TF.js ops, 3 channels)
//   stem      XNNPACK float conv of levels + requantize   float levels (block 0 has no expansion)
//   block     expand: integer GEMM -> float levels; depthwise: XNNPACK float conv + requantize -> int16 levels;
//             project: integer GEMM -> int16 levels; residual: integer add
//   head      integer GEMM -> float levels, times its scale: the head's dequantized output
import * as tf from '@tensorflow/tfjs';
import type { ActivationQuantization, ConvLayerInfo, MobileNetExtras, MobileNetQuantization } from '../tflite/convert-mobilenet';
import { activationRange, biasLevels, kernelLevels, kernelQuantization, requantizationScales, type KernelQuantization } from './fake-quant';
import { packPointwiseKernel } from './simd-quantized-gemm-module';
import { pointwise, quantizedAdd, quantizedKernelsReady, requantize, type PointwiseLayer, type QuantizedActivation } from './quantized-kernels';
import { weight } from './ops';

/** A stem or depthwise layer for XNNPACK's float kernels: its integers as floats, and how to requantize. */
interface FloatLevelsLayer {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
  scale: tf.Tensor1D;
  range: [number, number];
  outputScale: number;
  strides: [number, number];
  padding: 'same' | 'valid';
}

interface IntegerBlock {
  expand?: PointwiseLayer;
  depthwise: FloatLevelsLayer;
  project: PointwiseLayer;
  /** The residual ADD's output grid. */
  residual?: { scale: number; range: [number, number] };
}

/** Everything the integer trunk needs, made once per weights map (tensors kept until `dispose`). */
export interface IntegerMobileNet {
  input: { multiply: number; add: number; scale: number; range: [number, number] };
  stem: FloatLevelsLayer;
  blocks: IntegerBlock[];
  head: PointwiseLayer;
  dispose(): void;
}

/** Centred clamp range of a layer's output levels after its fused activation. */
const centredRange = (q: ActivationQuantization, activation: ConvLayerInfo['activation']): [number, number] => {
  const [lo, hi] = activationRange(q, activation);
  return [lo - q.zeroPoint, hi - q.zeroPoint];
};

/** Whether the graph describes every trunk layer's integers in a shape the integer trunk runs: block 0 reads the
 *  stem's float levels, every other block's input is an int16 GEMM or ADD output (so it must expand first). */
function runsOnIntegers(extras: MobileNetExtras, q: MobileNetQuantization, layers: Map<string, ConvLayerInfo>): boolean {
  const names = [extras.stem, extras.head, ...extras.blocks.flatMap((b) => [...(b.expand ? [`${b.name}/expand`] : []), `${b.name}/depthwise`, `${b.name}/project`])];
  const described = (name: string) => layers.has(name) && !!q.layers[name] && !!(q.kernels?.[name] || q.channelKernels?.[name]);
  return !!q.input && names.every(described) && extras.blocks.every((b, i) => (i === 0 || b.expand) && (!b.residual || (i > 0 && !!q.residuals[b.name])));
}

function pointwiseLayer(weights: tf.NamedTensorMap, name: string, q: MobileNetQuantization, info: ConvLayerInfo): PointwiseLayer | null {
  const kernel = weight<tf.Rank.R4>(weights, `${name}/weights`);
  const [kh, kw, inChannels, outChannels] = kernel.shape;
  const k = kernelQuantization(weights, q, name);
  if (!k || kh !== 1 || kw !== 1 || info.strides[0] !== 1 || info.strides[1] !== 1 || inChannels % 4 !== 0 || outChannels % 8 !== 0) return null;
  const output = q.layers[name]!;
  return {
    kernel: tf.tensor1d(new Int32Array(packPointwiseKernel(pointwiseLevels(kernel, k), inChannels, outChannels).buffer), 'int32'),
    bias: tf.tidy(() => tf.cast(integerBias(weights, name, k, outChannels), 'int32')),
    scale: requantizationScale(k, output, outChannels),
    inChannels,
    outChannels,
    range: centredRange(output, info.activation),
    outputScale: output.scale,
  };
}

/** A 1x1 kernel's integers q - zp, as kernelLevels computes them, here in plain JS over the values (the integer trunk
 *  runs on WASM, where reading them is a copy): TF.js's broadcasting division by per-channel scales took 220-350 ms
 *  for the style predictor's 2.2M weights, this loop ~10 ms. */
function pointwiseLevels(kernel: tf.Tensor4D, k: KernelQuantization): Int16Array {
  const values = kernel.dataSync();
  const channels = kernel.shape[3];
  const scales = k.weightScales;
  const levels = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) levels[i] = Math.round(Math.fround(values[i]! / scales[scales.length === 1 ? 0 : i % channels]!));
  return levels;
}

function floatLevelsLayer(weights: tf.NamedTensorMap, name: string, q: MobileNetQuantization, info: ConvLayerInfo): FloatLevelsLayer | null {
  const kernel = weight<tf.Rank.R4>(weights, `${name}/weights`);
  const channels = info.op === 'depthwise' ? kernel.shape[2] : kernel.shape[3];
  const k = kernelQuantization(weights, q, name);
  if (!k || channels % 8 !== 0) return null;
  const output = q.layers[name]!;
  return {
    kernel: kernelLevels(kernel, k, info.op),
    bias: integerBias(weights, name, k, channels),
    scale: requantizationScale(k, output, channels),
    range: centredRange(output, info.activation),
    outputScale: output.scale,
    strides: info.strides,
    padding: info.padding === 'valid' ? 'valid' : 'same',
  };
}

/** The int32 bias as float32 integers (zeros for a layer without one). */
function integerBias(weights: tf.NamedTensorMap, name: string, k: KernelQuantization, channels: number): tf.Tensor1D {
  const bias = weights[`${name}/bias`];
  return bias ? biasLevels(bias, k) : tf.zeros([channels]);
}

/** Each output channel's s_in · s_w / s_out, as the emulation and XNNPACK's fp32 requantization compute it. */
function requantizationScale(k: KernelQuantization, output: ActivationQuantization, channels: number): tf.Tensor1D {
  const scales = requantizationScales(k, output);
  return tf.tensor1d(scales.length === 1 ? new Float32Array(channels).fill(scales[0]!) : scales);
}

/** The integer trunk's layers, or null when these weights or this backend cannot run it (the caller emulates). */
export function integerMobileNet(weights: tf.NamedTensorMap, extras: MobileNetExtras, q: MobileNetQuantization): IntegerMobileNet | null {
  const info = new Map(extras.layers.map((l) => [l.name, l]));
  if (!runsOnIntegers(extras, q, info)) return null;
  const made: tf.Tensor[] = [];
  const keep = <T extends PointwiseLayer | FloatLevelsLayer | null>(layer: T): T => {
    // Kept: the caller may be inside a tidy (a forward pass), and these live as long as the weights.
    if (layer) made.push(tf.keep(layer.kernel), tf.keep(layer.bias), tf.keep(layer.scale));
    return layer;
  };
  const stem = keep(floatLevelsLayer(weights, extras.stem, q, info.get(extras.stem)!));
  const head = keep(pointwiseLayer(weights, extras.head, q, info.get(extras.head)!));
  const blocks = extras.blocks.map((b): IntegerBlock | null => {
    const expand = b.expand ? keep(pointwiseLayer(weights, `${b.name}/expand`, q, info.get(`${b.name}/expand`)!)) : undefined;
    const depthwise = keep(floatLevelsLayer(weights, `${b.name}/depthwise`, q, info.get(`${b.name}/depthwise`)!));
    const project = keep(pointwiseLayer(weights, `${b.name}/project`, q, info.get(`${b.name}/project`)!));
    const residual = b.residual ? q.residuals[b.name]! : undefined;
    if (expand === null || !depthwise || !project) return null;
    return { ...(expand ? { expand } : {}), depthwise, project, ...(residual ? { residual: { scale: residual.scale, range: centredRange(residual, 'none') } } : {}) };
  });
  const dispose = () => tf.dispose(made);
  if (!stem || !head || blocks.some((b) => !b)) {
    dispose();
    return null;
  }
  const input = q.input!;
  return {
    input: { multiply: extras.input.multiply, add: extras.input.add, scale: input.scale, range: centredRange(input, 'none') },
    stem,
    blocks: blocks as IntegerBlock[],
    head,
    dispose,
  };
}

/** Whether the integer trunk can run now: the WASM backend with SIMD, outside a gradient tape. */
export function integerTrunkReady(): boolean {
  return !tf.engine().isTapeOn() && quantizedKernelsReady();
}

/** XNNPACK's float conv of float levels (exact), requantized. */
function floatLevelsConv(x: tf.Tensor4D, layer: FloatLevelsLayer, op: 'conv2d' | 'depthwise', output: 'int16'): QuantizedActivation;
function floatLevelsConv(x: tf.Tensor4D, layer: FloatLevelsLayer, op: 'conv2d' | 'depthwise', output: 'float32'): tf.Tensor4D;
function floatLevelsConv(x: tf.Tensor4D, layer: FloatLevelsLayer, op: 'conv2d' | 'depthwise', output: 'int16' | 'float32'): QuantizedActivation | tf.Tensor4D {
  const args = { x, filter: layer.kernel, bias: layer.bias, strides: layer.strides, pad: layer.padding };
  const sums = op === 'depthwise' ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
  return output === 'int16' ? requantize(sums, layer.scale, layer.range, layer.outputScale, 'int16') : requantize(sums, layer.scale, layer.range, layer.outputScale, 'float32');
}

/** The head's output (dequantized, [N,h,w,1280]) for images in 0..1; call inside a tidy, only when integerTrunkReady(). */
export function integerMobileNetTrunk(image: tf.Tensor4D, net: IntegerMobileNet): tf.Tensor4D {
  const { input } = net;
  const pixels = tf.add(tf.mul(image, input.multiply), input.add);
  const levels = tf.clipByValue(tf.round(tf.div(pixels, input.scale)), input.range[0], input.range[1]) as tf.Tensor4D;
  const [first] = net.blocks;
  // Block 0 (no expansion) reads float levels; a network whose first block expands would read int16 ones.
  let x: QuantizedActivation | tf.Tensor4D = first?.expand ? floatLevelsConv(levels, net.stem, 'conv2d', 'int16') : floatLevelsConv(levels, net.stem, 'conv2d', 'float32');
  for (const block of net.blocks) {
    const expanded: tf.Tensor4D = block.expand ? pointwise(x as QuantizedActivation, block.expand, 'float32') : (x as tf.Tensor4D);
    const depthwise = floatLevelsConv(expanded, block.depthwise, 'depthwise', 'int16');
    const projected = pointwise(depthwise, block.project, 'int16');
    x = block.residual ? quantizedAdd(projected, x as QuantizedActivation, block.residual.scale, block.residual.range) : projected;
  }
  return tf.mul(pointwise(x as QuantizedActivation, net.head, 'float32'), net.head.outputScale) as tf.Tensor4D;
}
