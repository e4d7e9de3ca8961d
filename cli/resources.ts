// Where the CLI finds the verified, converted networks and the bundled images: the project's git-ignored
// cache that `npm install` (npm run models) fills. Paths are relative to the project, wherever the CLI runs from.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setWeightStore } from '../models/registry';
import { createFileWeightStore } from '../models/weights/file-store';
import type { AssetLoader } from '../techniques/job';
import { PasticheError } from '../techniques/errors';
import { readImageFile } from './image-files';

// dist/cli.cjs (built) and cli/*.ts (tsx, tests) both sit one folder below the project root.
const projectRoot = path.resolve(__dirname, '..');
const cacheDir = process.env.PASTICHE_CACHE_DIR ?? path.join(projectRoot, '.cache');

export function useCachedWeights(): void {
  const models = path.join(cacheDir, 'models');
  if (!existsSync(models)) throw new PasticheError('model-unavailable', `No converted models in ${models}: run "npm run models" in ${projectRoot}.`);
  setWeightStore(createFileWeightStore(models));
}

export const cachedAssets: AssetLoader = {
  async stylePreset(id) {
    const file = path.join(cacheDir, 'images', 'styles', `${id}.jpg`);
    if (!existsSync(file)) throw new PasticheError('bad-input', `Unknown style preset "${id}" (looked for ${file}).`);
    return readImageFile(file);
  },
};

/** The preset ids available in the cache, for --help and error messages. */
export function isPresetFile(name: string): boolean {
  return existsSync(path.join(cacheDir, 'images', 'styles', `${name}.jpg`));
}
