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

// A table decoder rather than `atob`: Node's atob takes ~25 s on a 5 MB network (tests run there), and this
// also avoids building a 5 MB binary string in the browser.
const SEXTETS = (() => {
  const table = new Uint8Array(128).fill(255);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

export function base64ToArrayBuffer(base64: string): ArrayBuffer {
  let end = base64.length;
  while (end > 0 && base64[end - 1] === '=') end--;
  const bytes = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < end; i++) {
    const sextet = SEXTETS[base64.charCodeAt(i)] ?? 255;
    if (sextet === 255) throw new Error(`invalid base64 character at ${i}`);
    buffer = ((buffer << 6) | sextet) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes.buffer;
}
