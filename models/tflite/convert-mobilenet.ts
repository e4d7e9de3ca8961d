// MobileNetV2 graphs (the ImageNet classifier, and Magenta's style predictor which shares the trunk):
// writes each conv layer's weights under its TF-slim scope and describes the blocks in extras.
import { writeConvWeights } from './conv-weights';
import { constantInput, layerScope, type DecodedGraph } from './graph';
import type { Conv2DOptions, DepthwiseConv2DOptions } from './options';
import { ShardWriter } from './shard-writer';
import type { Activation, Padding } from './schema';


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
}

const PREFIX = 'MobilenetV2/';

export function convertMobileNetGraph(graph: DecodedGraph): { shard: ShardWriter; extras: MobileNetExtras } {
  const shard = new ShardWriter();
  const layers: ConvLayerInfo[] = [];
  const residualBlocks = new Set<string>();
  for (const op of graph.ops) {
    if (op.op === 'CONV_2D' || op.op === 'DEPTHWISE_CONV_2D') {
      const scope = layerScope(constantInput(op, 1));
      const o = op.options as Conv2DOptions | DepthwiseConv2DOptions;
      layers.push({ name: scope, op: op.op === 'CONV_2D' ? 'conv2d' : 'depthwise', strides: o.strides, padding: o.padding, activation: o.activation });
      writeConvWeights(shard, op, scope);
    } else if (op.op === 'ADD') {
      // Residual connection: "MobilenetV2/expanded_conv_2/add".
      residualBlocks.add(layerScope(op.outputs[0]!));
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
  };
  for (const name of [extras.stem, extras.head]) if (!layers.some((l) => l.name === name)) throw new Error(`layer ${name} missing`);
  return { shard, extras };
}
