// Writes a conv layer's kernel and bias into the shard, in TF.js layout, choosing the storage:
// per-tensor uint8 stays uint8 (exact), anything else (per-channel int8, float16, float32) goes float16.
import { constantInput, type GraphOp } from './graph';
import { constantValues, rawValues } from './dequantize';
import { depthwiseToHwc1, ohwiToHwio } from './layout';
import type { ShardWriter } from './shard-writer';

export function writeConvWeights(shard: ShardWriter, op: GraphOp, scope: string): void {
  const kernel = constantInput(op, 1);
  const toTfjs = <T extends Float32Array | Uint8Array>(values: T) =>
    op.op === 'DEPTHWISE_CONV_2D' ? depthwiseToHwc1(values, kernel.shape) : ohwiToHwio(values, kernel.shape);
  const q = kernel.quantization;
  if (kernel.type === 'UINT8' && q && q.scale.length === 1) {
    const { values, shape } = toTfjs(rawValues(kernel) as Uint8Array);
    const scale = q.scale[0]!;
    shard.uint8(`${scope}/weights`, shape, values, scale, -scale * (q.zeroPoint[0] ?? 0));
  } else {
    const { values, shape } = toTfjs(constantValues(kernel));
    shard.float16(`${scope}/weights`, shape, values);
  }
  const biasInput = op.inputs[2];
  if (biasInput?.kind === 'constant') {
    const bias = biasInput.tensor;
    // Biases stay float32: int32 biases carry input_scale*weight_scale, which float16 would round.
    shard.float32(`${scope}/bias`, bias.shape, constantValues(bias));
  }
}
