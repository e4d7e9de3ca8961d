// Collects named weights and writes them as one TF.js weights shard with its manifest entries.
import type { io } from '@tensorflow/tfjs-core';
import { encodeFloat16Array } from './float16';

export class ShardWriter {
  private readonly entries: io.WeightsManifestEntry[] = [];
  private readonly chunks: Uint8Array[] = [];
  private readonly names = new Set<string>();

  private push(entry: io.WeightsManifestEntry, bytes: Uint8Array): void {
    if (this.names.has(entry.name)) throw new Error(`duplicate weight name ${entry.name}`);
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const width = entry.quantization ? (entry.quantization.dtype === 'float16' ? 2 : 1) : 4;
    if (bytes.byteLength !== size * width) throw new Error(`weight ${entry.name}: ${bytes.byteLength} bytes for shape [${entry.shape}]`);
    this.names.add(entry.name);
    this.entries.push(entry);
    this.chunks.push(bytes);
  }

  /** Plain float32 (used for biases, which are small and carry the accumulated scale). */
  float32(name: string, shape: number[], values: Float32Array): void {
    this.push({ name, shape, dtype: 'float32' }, new Uint8Array(values.slice().buffer));
  }

  /** float32 stored as float16, as TF.js's converter does with --quantize_float16. */
  float16(name: string, shape: number[], values: Float32Array): void {
    this.push({ name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }, encodeFloat16Array(values));
  }

  /** uint8 codes q with value = min + scale * q (TF.js's affine uint8 quantization). A TFLite uint8 tensor
   *  `scale * (q - zero_point)` is reproduced with min = -scale * zero_point. */
  uint8(name: string, shape: number[], codes: Uint8Array, scale: number, min: number): void {
    this.push({ name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } }, codes.slice());
  }

  finish(): { weights: io.WeightsManifestEntry[]; data: ArrayBuffer } {
    const total = this.chunks.reduce((n, c) => n + c.byteLength, 0);
    const data = new Uint8Array(total);
    let offset = 0;
    for (const c of this.chunks) {
      data.set(c, offset);
      offset += c.byteLength;
    }
    return { weights: this.entries.slice(), data: data.buffer };
  }
}
