// The git-ignored cache of converted weights: `.cache/models/<network>/weights.json + weights.bin`.
// weights.bin is written first and weights.json last (each via a rename), so a weights.json on disk always
// describes a complete shard even if setup was interrupted.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { type ConvertedManifest, type ConvertedWeights, MANIFEST_FILE, type NetworkName, SHARD_FILE } from '../weights/format';

export function networkCacheDir(modelsCacheDir: string, network: NetworkName): string {
  return path.join(modelsCacheDir, network);
}

export function readCachedManifest(dir: string): ConvertedManifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ConvertedManifest;
  } catch {
    return null; // unreadable means stale
  }
}

/** True when the cached conversion came from exactly these sources with this converter and its shard is whole. */
export function isCacheFresh(dir: string, sourceSha256: string[], converterVersion: number): boolean {
  const manifest = readCachedManifest(dir);
  if (!manifest || manifest.format !== 'pastiche-weights-1') return false;
  if (manifest.extras?.converterVersion !== converterVersion) return false;
  if (manifest.sourceSha256.join(',') !== sourceSha256.join(',')) return false;
  const shard = path.join(dir, SHARD_FILE);
  return existsSync(shard) && statSync(shard).size === shardBytes(manifest.weights);
}

export function writeCache(dir: string, converted: ConvertedWeights): void {
  mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, SHARD_FILE), new Uint8Array(converted.data));
  writeAtomically(path.join(dir, MANIFEST_FILE), JSON.stringify(converted.manifest));
}

/** Bytes a shard must have for these specs (TF.js's own sizes per stored dtype). */
export function shardBytes(weights: io.WeightsManifestEntry[]): number {
  const stored: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };
  return weights.reduce((sum, w) => {
    const dtype = w.quantization?.dtype ?? w.dtype;
    const per = stored[dtype];
    if (per === undefined) throw new Error(`${w.name}: cannot size dtype ${dtype}`);
    return sum + w.shape.reduce((a, b) => a * b, 1) * per;
  }, 0);
}

export function writeAtomically(file: string, content: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}
