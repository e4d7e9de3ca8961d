// MobileNetV2 graphs (the ImageNet classifier, and Magenta's style predictor which shares the trunk):
// writes each conv layer's weights under its TF-slim scope and describes the blocks in extras.
import { writeConvWeights } from './conv-weights';
import { constantInput, layerScope, type DecodedGraph } from './graph';
import type { Conv2DOptions, DepthwiseConv2DOptions } from './options';
import { ShardWriter } from './shard-writer';
import type { Activation, Padding } from './schema';
import type { TfliteTensor } from './model-reader';


/** One conv layer as the network function needs it. */
export interface ConvLayerInfo {
  name: string;
  op: 'conv2d' | 'depthwise';
  strides: [number, number];
  padding: Padding;
  activation: Activation;
}

/** One inverted-residual block "MobilenetV2/expanded_conv_N". */
export interface MobileNetBlockInfo {
  name: string;
  /** Block 0 has no 1x1 expansion (expansion factor 1). */
  expand: boolean;
  stride: number;
  residual: boolean;
}

/** Affine quantization of one activation tensor of the TFLite graph: real = scale * (q - zeroPoint), q in qmin..qmax. */
export interface ActivationQuantization {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/** Where the quantized TFLite graph rounds its activations (absent for float graphs and older caches). */
export interface MobileNetQuantization {
  /** The first conv's input (the graph input, or the output of its QUANTIZE op). */
  input?: ActivationQuantization;
  /** Every conv / depthwise output after its fused activation, by layer scope (the classifier's is the logits'). */
  layers: Record<string, ActivationQuantization>;
  /** Integer arithmetic of each conv (uint8 graphs): its input's quantization, the kernel's per-tensor scale and
   *  zero point, the int32 bias's scale. With these the convolution can be run on the exact integers. */
  kernels?: Record<string, { input: ActivationQuantization; weightScale: number; weightZeroPoint: number; biasScale: number }>;
  /** The same for convs whose kernel has a scale per output channel (int8 graphs, zero points 0): the scales are
   *  weights, `${scope}/weight_scales` and `${scope}/bias_scales` (float32 [C]), 17k of them in the predictor. */
  channelKernels?: Record<string, { input: ActivationQuantization }>;
  /** Residual ADD outputs, by block name ("MobilenetV2/expanded_conv_2"). */
  residuals: Record<string, ActivationQuantization>;
  /** Global average pool (AVERAGE_POOL_2D or MEAN) output. */
  pooled?: ActivationQuantization;
  /** SOFTMAX output (the classifier only). */
  probabilities?: ActivationQuantization;
}

export interface MobileNetExtras {
  /** The first conv sees `x * inputMultiply + inputAdd` for an image x in 0..1. */
  input: { multiply: number; add: number; note: string };
  /** Native input size of the graph (the classifier is defined at 224, the predictor at 256). */
  inputSize: [number, number];
  layers: ConvLayerInfo[];
  blocks: MobileNetBlockInfo[];
  stem: string;
  head: string;
  /** Final 1x1 conv (ImageNet logits, or the style predictor's 100-d bottleneck). */
  classifier: string;
  outputChannels: number;
  /** Activation quantization of the TFLite graph, for the optional emulation mode of the network functions. */
  quantization?: MobileNetQuantization;
}

const QUANTIZED_RANGE: Partial<Record<string, [number, number]>> = { UINT8: [0, 255], INT8: [-128, 127], INT16: [-32768, 32767] };

/** The per-tensor quantization of an activation, or undefined (float, or per-channel). */
function activationQuantization(t: TfliteTensor | undefined): ActivationQuantization | undefined {
  const q = t?.quantization;
  const range = t ? QUANTIZED_RANGE[t.type] : undefined;
  if (!q || !range || q.scale.length !== 1) return undefined;
  return { scale: q.scale[0]!, zeroPoint: Number(q.zeroPoint[0] ?? 0), qmin: range[0], qmax: range[1] };
}

const PREFIX = 'MobilenetV2/';

export function convertMobileNetGraph(graph: DecodedGraph): { shard: ShardWriter; extras: MobileNetExtras } {
  const shard = new ShardWriter();
  const layers: ConvLayerInfo[] = [];
  const residualBlocks = new Set<string>();
  const quantization: MobileNetQuantization = { layers: {}, kernels: {}, channelKernels: {}, residuals: {} };
  const set = (assign: (q: ActivationQuantization) => void, t: TfliteTensor | undefined) => {
    const q = activationQuantization(t);
    if (q) assign(q);
  };
  set((q) => (quantization.input = q), graph.inputs[0]);
  for (const op of graph.ops) {
    const output = op.outputs[0];
    if (op.op === 'CONV_2D' || op.op === 'DEPTHWISE_CONV_2D') {
      const scope = layerScope(constantInput(op, 1));
      const o = op.options as Conv2DOptions | DepthwiseConv2DOptions;
      layers.push({ name: scope, op: op.op === 'CONV_2D' ? 'conv2d' : 'depthwise', strides: o.strides, padding: o.padding, activation: o.activation });
      writeConvWeights(shard, op, scope);
      set((q) => (quantization.layers[scope] = q), output);
      const input = op.inputs[0]?.kind === 'activation' ? activationQuantization(op.inputs[0].tensor) : undefined;
      const kq = constantInput(op, 1).quantization;
      const bq = op.inputs[2]?.kind === 'constant' ? op.inputs[2].tensor.quantization : undefined;
      if (input && kq?.scale.length === 1 && bq?.scale.length === 1) {
        quantization.kernels![scope] = { input, weightScale: kq.scale[0]!, weightZeroPoint: Number(kq.zeroPoint[0] ?? 0), biasScale: bq.scale[0]! };
      } else if (input && kq && bq && kq.scale.length > 1 && bq.scale.length === kq.scale.length && kq.zeroPoint.every((z) => Number(z) === 0)) {
        shard.float32(`${scope}/weight_scales`, [kq.scale.length], Float32Array.from(kq.scale));
        shard.float32(`${scope}/bias_scales`, [bq.scale.length], Float32Array.from(bq.scale));
        quantization.channelKernels![scope] = { input };
      }
    } else if (op.op === 'ADD') {
      // Residual connection: "MobilenetV2/expanded_conv_2/add".
      residualBlocks.add(layerScope(op.outputs[0]!));
      set((q) => (quantization.residuals[layerScope(op.outputs[0]!)] = q), output);
    } else if (op.op === 'QUANTIZE' && op.inputs[0]?.kind === 'activation' && op.inputs[0].tensor === graph.inputs[0]) {
      // A float graph input quantized on entry (the style predictor): that grid is what the first conv sees.
      set((q) => (quantization.input = q), output);
    } else if (op.op === 'AVERAGE_POOL_2D' || op.op === 'MEAN') {
      set((q) => (quantization.pooled = q), output);
    } else if (op.op === 'SOFTMAX') {
      set((q) => (quantization.probabilities = q), output);
    }
  }
  const blockNames = [...new Set(layers.map((l) => l.name).filter((n) => n.startsWith(`${PREFIX}expanded_conv`)).map((n) => n.split('/').slice(0, 2).join('/')))];
  const blocks = blockNames.map((name): MobileNetBlockInfo => {
    const depthwise = layers.find((l) => l.name === `${name}/depthwise`);
    if (!depthwise) throw new Error(`block ${name} has no depthwise layer`);
    return { name, expand: layers.some((l) => l.name === `${name}/expand`), stride: depthwise.strides[0], residual: residualBlocks.has(name) };
  });
  const input = graph.inputs[0]!;
  const q = input.quantization;
  const extras: MobileNetExtras = {
    input:
      input.type === 'UINT8' && q
        ? // uint8 pixels q = 255 x, dequantized as scale * (q - zero_point).
          { multiply: 255 * q.scale[0]!, add: -q.scale[0]! * (q.zeroPoint[0] ?? 0), note: `uint8 input, scale ${q.scale[0]}, zero_point ${q.zeroPoint[0]}` }
        : // float input in 0..1 (the predictor quantizes it internally with scale 1/255, which is lossless for 8-bit images).
          { multiply: 1, add: 0, note: `${input.type} input in 0..1` },
    inputSize: [input.shape[1]!, input.shape[2]!],
    layers,
    blocks,
    stem: `${PREFIX}Conv`,
    head: `${PREFIX}Conv_1`,
    classifier: layers[layers.length - 1]!.name,
    outputChannels: constantInput(graph.ops.filter((o) => o.op === 'CONV_2D').pop()!, 1).shape[0]!,
    ...(Object.keys(quantization.layers).length > 0 ? { quantization } : {}),
  };
  for (const name of [extras.stem, extras.head]) if (!layers.some((l) => l.name === name)) throw new Error(`layer ${name} missing`);
  return { shard, extras };
}
