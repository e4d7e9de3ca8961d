// Browser WeightStore over weights inlined into the bundle as base64. Decoding costs time and doubles memory,
// so each network is decoded only when first asked for, and only once.
import type { ConvertedManifest, ConvertedWeights, NetworkName } from './format';
import type { WeightStore } from './store';

export interface InlineWeights {
  manifest: ConvertedManifest;
  base64: string;
}

/** `table` may hold only some networks (a build can leave out what it does not ship). */
export function createInlineWeightStore(table: Partial<Record<NetworkName, InlineWeights>>): WeightStore {
  const decoded = new Map<NetworkName, ConvertedWeights>();
  return {
    async load(name: NetworkName) {
      let weights = decoded.get(name);
      if (!weights) {
        const entry = table[name];
        if (!entry) throw new Error(`network ${name} is not bundled in this build`);
        weights = { manifest: entry.manifest, data: base64ToArrayBuffer(entry.base64) };
        decoded.set(name, weights);
      }
      return weights;
    },
  };
}

export function base64ToArrayBuffer(base64: string): ArrayBuffer {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}
