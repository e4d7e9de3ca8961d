// Constant tensors of a TFLite file as float32 values: raw bytes decoded by type, then
// `scale * (q - zero_point)` (per-tensor, or per-channel along quantized_dimension).
import { decodeFloat16Array } from './float16';
import type { Quantization, TfliteTensor } from './model-reader';

/** The stored integers/floats of a constant tensor, before any dequantization. */
export function rawValues(t: TfliteTensor): Float32Array | Int32Array | Uint8Array | Int8Array {
  const bytes = t.data;
  if (!bytes) throw new Error(`tensor ${t.name} has no data (not a constant)`);
  // Copy to an aligned buffer: buffers inside a FlatBuffer are not guaranteed 4-byte aligned.
  const aligned = new Uint8Array(bytes).buffer;
  switch (t.type) {
    case 'FLOAT32':
      return new Float32Array(aligned);
    case 'FLOAT16':
      return decodeFloat16Array(bytes);
    case 'INT32':
      return new Int32Array(aligned);
    case 'UINT8':
      return new Uint8Array(aligned);
    case 'INT8':
      return new Int8Array(aligned);
    default:
      throw new Error(`tensor ${t.name}: type ${t.type} cannot be read as numbers`);
  }
}

/** Size of the stride of `axis` in a row-major tensor of `shape`, and the axis length. */
function axisStride(shape: number[], axis: number): { stride: number; length: number } {
  let stride = 1;
  for (let i = axis + 1; i < shape.length; i++) stride *= shape[i]!;
  return { stride, length: shape[axis] ?? 1 };
}

export function dequantize(values: ArrayLike<number>, shape: number[], q: Quantization | undefined): Float32Array {
  const out = new Float32Array(values.length);
  if (!q) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]!;
    return out;
  }
  if (q.scale.length === 1) {
    const s = q.scale[0]!;
    const z = q.zeroPoint[0] ?? 0;
    for (let i = 0; i < values.length; i++) out[i] = s * (values[i]! - z);
    return out;
  }
  const { stride, length } = axisStride(shape, q.quantizedDimension);
  if (length !== q.scale.length) throw new Error(`per-channel scales (${q.scale.length}) do not match axis length ${length}`);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / stride) % length;
    out[i] = q.scale[c]! * (values[i]! - (q.zeroPoint[c] ?? 0));
  }
  return out;
}

/** Float32 values of any constant tensor (float, float16, or quantized integers). */
export function constantValues(t: TfliteTensor): Float32Array {
  return dequantize(rawValues(t), t.shape, t.type === 'FLOAT32' || t.type === 'FLOAT16' ? undefined : t.quantization);
}
