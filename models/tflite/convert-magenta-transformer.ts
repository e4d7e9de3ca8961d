// Magenta's style transformer: mirror-padded VALID convs, conditional instance norms whose gamma/beta
// come from the style bottleneck through 1x1 convs, and nearest-neighbour upsampling.
import { activationInput, constantInput, layerScope, type DecodedGraph, type GraphOp } from './graph';
import { constantValues } from './dequantize';
import { writeConvWeights } from './conv-weights';
import type { Conv2DOptions, FusedActivationOptions } from './options';
import { ShardWriter } from './shard-writer';
import type { Activation } from './schema';

/** A conditional instance norm: y = gamma * (x - mean) / sqrt(var + epsilon) + beta, with
 *  beta = conv1x1(bottleneck, `beta` weights) and gamma = conv1x1(bottleneck, `gamma` weights). */
export interface StyleNormInfo {
  beta: string;
  gamma: string;
  epsilon: number;
}

export interface TransformerLayerInfo {
  /** Weight scope, e.g. "transformer/residual/residual1/conv1" or "transformer/expand/conv1/conv". */
  name: string;
  kernel: [number, number];
  strides: [number, number];
  /** Reflect padding applied before the VALID conv: [[top, bottom], [left, right]]. */
  mirrorPad: [[number, number], [number, number]];
  /** Nearest-neighbour upsampling factor applied before the padding (1 = none). */
  upsample: number;
  norm?: StyleNormInfo;
  /** Activation after the conv (or after its norm when there is one). */
  activation: Activation | 'sigmoid';
}

export interface TransformerExtras {
  /** Content image is used as is, in 0..1. */
  inputSize: [number, number];
  bottleneckSize: number;
  layers: TransformerLayerInfo[];
}

export function convertTransformerGraph(graph: DecodedGraph): { shard: ShardWriter; extras: TransformerExtras } {
  const shard = new ShardWriter();
  const [content, bottleneck] = graph.inputs;
  if (!content || !bottleneck) throw new Error('transformer graph needs two inputs (content, bottleneck)');
  const producer = new Map<number, GraphOp>();
  for (const op of graph.ops) for (const t of op.outputs) producer.set(t.index, op);

  const layers: TransformerLayerInfo[] = [];
  const normParams = new Map<string, string>(); // style param conv scope -> written
  for (const op of graph.ops) {
    if (op.op === 'CONV_2D') {
      const scope = layerScope(constantInput(op, 1));
      const source = activationInput(op, 0);
      writeConvWeights(shard, op, scope);
      if (source.index === bottleneck.index) {
        normParams.set(scope, scope);
        continue;
      }
      const o = op.options as Conv2DOptions;
      const kernel = constantInput(op, 1).shape;
      const pad = producer.get(source.index);
      let mirrorPad: TransformerLayerInfo['mirrorPad'] = [[0, 0], [0, 0]];
      let upsample = 1;
      if (pad?.op === 'MIRROR_PAD') {
        const p = constantValues(constantInput(pad, 1)); // [[0,0],[t,b],[l,r],[0,0]]
        mirrorPad = [[p[2]!, p[3]!], [p[4]!, p[5]!]];
        const resize = producer.get(activationInput(pad, 0).index);
        if (resize?.op === 'RESIZE_NEAREST_NEIGHBOR') {
          upsample = resize.outputs[0]!.shape[1]! / activationInput(resize, 0).shape[1]!;
        }
      }
      layers.push({ name: scope, kernel: [kernel[1]!, kernel[2]!], strides: o.strides, mirrorPad, upsample, activation: o.activation });
    } else if (op.op === 'ADD' && op.inputs[1]?.kind === 'constant' && op.outputs[0]!.name.includes('/StyleNorm/batchnorm/add')) {
      // variance + epsilon
      const normScope = op.outputs[0]!.name.split(';')[0]!.split('/StyleNorm/')[0]!;
      const layer = layers.find((l) => l.name === normScope);
      if (!layer) throw new Error(`norm ${normScope} follows no conv`);
      layer.norm = {
        beta: `style_params/${normScope}/StyleNorm/Conv`,
        gamma: `style_params/${normScope}/StyleNorm/Conv_1`,
        epsilon: constantValues(constantInput(op, 1))[0]!,
      };
    } else if (op.op === 'ADD' && op.inputs[0]?.kind === 'activation' && op.inputs[0].tensor.name.split(';')[0]!.endsWith('/StyleNorm/batchnorm/mul_1')) {
      // The norm's last op (x * a + b) carries the layer's activation, fused.
      const normScope = op.inputs[0].tensor.name.split(';')[0]!.split('/StyleNorm/')[0]!;
      const layer = layers.find((l) => l.name === normScope);
      if (layer) layer.activation = (op.options as FusedActivationOptions).activation;
    } else if (op.op === 'LOGISTIC') {
      const last = layers[layers.length - 1];
      if (last) last.activation = 'sigmoid';
    }
  }
  for (const l of layers) {
    if (l.norm && !(normParams.has(l.norm.beta) && normParams.has(l.norm.gamma))) throw new Error(`norm params of ${l.name} not found`);
  }
  return {
    shard,
    extras: { inputSize: [content.shape[1]!, content.shape[2]!], bottleneckSize: bottleneck.shape[3]!, layers },
  };
}
