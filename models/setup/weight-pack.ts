// Packing float tensors into our converted format (one binary shard + TF.js weight specs).
// float16 storage halves the shard; `tf.io.decodeWeights` expands it back to float32 at load time.
import { float32ToFloat16 as halfOf } from '../tflite/float16';
import type { io } from '@tensorflow/tfjs-core';

export interface FloatTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export type Storage = 'float32' | 'float16';

export function packWeights(tensors: FloatTensor[], storage: Storage): { weights: io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const bytesPer = storage === 'float16' ? 2 : 4;
  const total = tensors.reduce((sum, t) => sum + t.values.length * bytesPer, 0);
  const data = new ArrayBuffer(total);
  const weights: io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (t.values.length !== t.shape.reduce((a, b) => a * b, 1)) throw new Error(`${t.name}: ${t.values.length} values for shape [${t.shape}]`);
    if (storage === 'float16') {
      new Uint16Array(data, offset, t.values.length).set(float32ToFloat16(t.values));
      weights.push({ name: t.name, shape: t.shape, dtype: 'float32', quantization: { dtype: 'float16' } });
    } else {
      new Float32Array(data, offset, t.values.length).set(t.values);
      weights.push({ name: t.name, shape: t.shape, dtype: 'float32' });
    }
    offset += t.values.length * bytesPer;
  }
  return { weights, data };
}

/** IEEE 754 half-precision bits of each value, rounding to nearest even (what numpy's astype(float16) does). */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfOf(values[i]);
  return out;
}
