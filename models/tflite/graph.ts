// The graph as an ordered list of compute ops with their constant inputs resolved, so network
// converters can walk it layer by layer. DEQUANTIZE ops that only turn a constant (float16 or int8)
// into float32 are folded away: their consumers see the stored constant directly.
import type { BuiltinOptions } from './options';
import type { TfliteModel, TfliteTensor } from './model-reader';

/** One input of a graph op: a runtime activation, or a constant weight tensor. */
export type GraphInput = { kind: 'activation'; tensor: TfliteTensor } | { kind: 'constant'; tensor: TfliteTensor } | { kind: 'none' };

export interface GraphOp {
  index: number;
  op: string;
  options: BuiltinOptions;
  inputs: GraphInput[];
  outputs: TfliteTensor[];
}

export interface DecodedGraph {
  ops: GraphOp[];
  inputs: TfliteTensor[];
  outputs: TfliteTensor[];
}

export function decodeGraph(model: TfliteModel): DecodedGraph {
  // Output tensor index of a constant-only DEQUANTIZE -> the constant it reads.
  const folded = new Map<number, TfliteTensor>();
  const ops: GraphOp[] = [];
  for (const o of model.operators) {
    const first = model.tensors[o.inputs[0] ?? -1];
    if (o.op === 'DEQUANTIZE' && first?.data) {
      folded.set(o.outputs[0]!, first);
      continue;
    }
    ops.push({
      index: o.index,
      op: o.op,
      options: o.options,
      inputs: o.inputs.map((i): GraphInput => {
        if (i < 0) return { kind: 'none' };
        const constant = folded.get(i) ?? (model.tensors[i]!.data ? model.tensors[i]! : undefined);
        return constant ? { kind: 'constant', tensor: constant } : { kind: 'activation', tensor: model.tensors[i]! };
      }),
      outputs: o.outputs.map((i) => model.tensors[i]!),
    });
  }
  return {
    ops,
    inputs: model.inputs.map((i) => model.tensors[i]!),
    outputs: model.outputs.map((i) => model.tensors[i]!),
  };
}

/** The constant input `i` of an op, or an error naming the op (a graph that is not what we expect). */
export function constantInput(op: GraphOp, i: number): TfliteTensor {
  const input = op.inputs[i];
  if (input?.kind !== 'constant') throw new Error(`op ${op.index} ${op.op}: input ${i} is not a constant`);
  return input.tensor;
}

/** The activation input `i` of an op. */
export function activationInput(op: GraphOp, i: number): TfliteTensor {
  const input = op.inputs[i];
  if (input?.kind !== 'activation') throw new Error(`op ${op.index} ${op.op}: input ${i} is not an activation`);
  return input.tensor;
}

/** Layer scope of a weight tensor: TFLite names join fused node names with ';'; the first one is the
 *  weight's own node, e.g. "MobilenetV2/expanded_conv_1/expand/Conv2D_Fold" -> "MobilenetV2/expanded_conv_1/expand". */
export function layerScope(weight: TfliteTensor): string {
  const node = weight.name.split(';')[0]!;
  return node.slice(0, node.lastIndexOf('/'));
}
