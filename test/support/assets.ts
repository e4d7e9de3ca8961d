// What tests read from outside their own code: the verified, converted networks and the bundled images, both in
// the project's git-ignored cache that `npm install` (npm run models) fills. Never a path outside the repository.
import * as path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { readImageFile } from '../../cli/image-files';
import type { RgbaImage } from '../../techniques/image';
import { silentContext, type AssetLoader, type JobContext } from '../../techniques/job';
import { createNetworks, type Networks } from '../../models/registry';
import { createFileWeightStore } from '../../models/weights/file-store';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const CACHE_DIR = process.env.PASTICHE_CACHE_DIR ?? path.join(PROJECT_ROOT, '.cache');
export const MODELS_DIR = path.join(CACHE_DIR, 'models');
export const IMAGES_DIR = path.join(CACHE_DIR, 'images');

export type ImageKind = 'content' | 'styles' | 'textures';

/** The file of a bundled image by kind and name (extension found), or a clear error naming the setup step. */
export function assetPath(kind: ImageKind, name: string): string {
  const folder = path.join(IMAGES_DIR, kind);
  const file = existsSync(folder) ? readdirSync(folder).find((f) => f.replace(/\.[a-z]+$/, '') === name) : undefined;
  if (!file) throw new Error(`No ${kind} image "${name}" in ${folder}: run "npm run models" first.`);
  return path.join(folder, file);
}

/** A bundled image (content photo, style painting or texture sample) as RGBA. */
export function readAsset(kind: ImageKind, name: string): RgbaImage {
  return readImageFile(assetPath(kind, name));
}

/** Every bundled image name of a kind (e.g. every texture sample), sorted. */
export function assetNames(kind: ImageKind): string[] {
  return readdirSync(path.join(IMAGES_DIR, kind)).map((f) => f.replace(/\.[a-z]+$/, '')).sort();
}

/** Switches TF.js to its WASM backend (20x faster than the JS CPU backend for network work). */
export async function useWasmBackend(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('the tfjs WASM backend did not initialize');
  await tf.ready();
}

/** Bundled images for jobs in tests (style presets, textures), read from the cache like the CLI does. */
export const testAssets: AssetLoader = { image: async (kind, id) => readAsset(kind, id) };

let networks: Networks | null = null;
/** The networks of the test process, from the cache (loaded once per test file, shared by its tests). */
export function testNetworks(): Networks {
  return (networks ??= createNetworks(createFileWeightStore(MODELS_DIR)));
}

/** A job context with the real networks and bundled images, no progress, never cancelled unless `signal` says. */
export function testContext(parts: Partial<JobContext> = {}): JobContext {
  return silentContext({ networks: testNetworks(), assets: testAssets, ...parts });
}
