// Node-only WeightStore over the setup step's cache: `<dir>/<network>/weights.json + weights.bin`.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type ConvertedManifest, MANIFEST_FILE, type NetworkName, SHARD_FILE } from './format';
import type { WeightStore } from './store';

/** `dir` is the models cache root, normally `<project>/.cache/models`. */
export function createFileWeightStore(dir: string): WeightStore {
  return {
    async load(name: NetworkName) {
      const folder = path.join(dir, name);
      let json: string;
      let shard: Buffer;
      try {
        [json, shard] = await Promise.all([readFile(path.join(folder, MANIFEST_FILE), 'utf8'), readFile(path.join(folder, SHARD_FILE))]);
      } catch {
        throw new Error(`no converted weights for ${name} in ${folder}: run \`npm run models\``);
      }
      const manifest = JSON.parse(json) as ConvertedManifest;
      // Copy into a standalone ArrayBuffer: a Buffer may be a view into Node's shared pool.
      const data = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer;
      return { manifest, data };
    },
  };
}
