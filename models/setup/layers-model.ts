// Reading the weights of a TF.js layers model (model.json + binary groups) without TF.js: each group is the
// concatenation of its shards, and each weight follows the previous one inside its group.
import type { FloatTensor } from './weight-pack';

export interface LayersModelJson {
  modelTopology: { model_config: { class_name: string; config: { layers: KerasLayer[] } } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

export interface KerasLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name: string };
}

export function parseLayersModel(bytes: Uint8Array): LayersModelJson {
  return JSON.parse(new TextDecoder().decode(bytes)) as LayersModelJson;
}

/**
 * The float32 weights whose names pass `keep`, in manifest order. Groups holding none of them are not read,
 * which is how VGG19's missing block4/block5 shards are left out. `readShard` gets a path relative to model.json.
 */
export function readLayersWeights(
  model: LayersModelJson,
  readShard: (relativePath: string) => Uint8Array,
  keep: (name: string) => boolean,
): FloatTensor[] {
  const tensors: FloatTensor[] = [];
  for (const group of model.weightsManifest) {
    if (!group.weights.some((w) => keep(w.name))) continue;
    const groupBytes = concat(group.paths.map(readShard));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`${w.name}: unsupported dtype ${w.dtype}`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      const end = offset + count * 4;
      if (end > groupBytes.byteLength) throw new Error(`${w.name}: group ${group.paths.join('+')} is too short`);
      if (keep(w.name)) {
        // Copy so the values are 4-byte aligned whatever the offset.
        const values = new Float32Array(count);
        new Uint8Array(values.buffer).set(groupBytes.subarray(offset, end));
        tensors.push({ name: w.name, shape: w.shape, values });
      }
      offset = end;
    }
  }
  return tensors;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
