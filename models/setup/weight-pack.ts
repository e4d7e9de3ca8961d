// Packing float tensors into our converted format (one binary shard + TF.js weight specs).
// float16 storage halves the shard; `tf.io.decodeWeights` expands it back to float32 at load time.
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
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfBits(bits[i]);
  return out;
}

function halfBits(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const exponent = (f >>> 23) & 0xff;
  let mantissa = f & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf / NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> Inf
  if (e <= 0) {
    if (e < -10) return sign; // too small even for a subnormal
    mantissa |= 0x800000; // make the implicit 1 explicit, then shift into subnormal range
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    const rounded = rest > halfway || (rest === halfway && (half & 1)) ? half + 1 : half;
    return sign | rounded;
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches Inf at the top).
  return sign | (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? half + 1 : half);
}
