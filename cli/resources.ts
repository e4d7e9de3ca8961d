// Where the CLI finds the verified, converted networks and the bundled images: the project's git-ignored
// cache that `npm install` (npm run models) fills. Paths are relative to the project, wherever the CLI runs from.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createNetworks, type Networks } from '../models/registry';
import { createFileWeightStore } from '../models/weights/file-store';
import type { NetworkName } from '../models/weights/format';
import type { AssetLoader, JobContext, JobProgress } from '../techniques/job';
import type { AssetKind } from '../techniques/technique-spec';
import { PasticheError } from '../techniques/errors';
import { loadImageFile } from './image-files';

// dist/cli.cjs (built) and cli/*.ts (tsx, tests) both sit one folder below the project root.
const projectRoot = path.resolve(__dirname, '..');
const cacheDir = process.env.PASTICHE_CACHE_DIR ?? path.join(projectRoot, '.cache');

let networks: Networks | null = null;

/** The CLI's networks, from the cache; the cache is only required once a command asks for a network. */
export const cachedNetworks: Networks = {
  get<N extends NetworkName>(name: N) {
    if (!networks) {
      const models = path.join(cacheDir, 'models');
      if (!existsSync(models)) return Promise.reject(new PasticheError('model-unavailable', `No converted models in ${models}: run "npm run models" in ${projectRoot}.`));
      networks = createNetworks(createFileWeightStore(models));
    }
    return networks.get(name);
  },
  dispose: (name) => networks?.dispose(name) ?? Promise.resolve(),
  disposeAll: () => networks?.disposeAll() ?? Promise.resolve(),
  loaded: () => networks?.loaded() ?? [],
};

const assetFile = (kind: AssetKind, id: string) => {
  const folder = path.join(cacheDir, 'images', kind);
  const file = existsSync(folder) ? readdirSync(folder).find((f) => f.replace(/\.(png|jpe?g)$/, '') === id) : undefined;
  return file ? path.join(folder, file) : null;
};

export const cachedAssets: AssetLoader = {
  async image(kind, id) {
    const file = assetFile(kind, id);
    if (!file) throw new PasticheError('bad-input', `Unknown ${kind === 'styles' ? 'style preset' : 'texture'} "${id}". Known: ${presetNames(kind).join(', ') || 'none (run "npm run models")'}.`);
    return loadImageFile(file);
  },
};

/** The bundled image names of a kind in the cache, for --help and error messages. */
export function presetNames(kind: AssetKind): string[] {
  const folder = path.join(cacheDir, 'images', kind);
  return existsSync(folder) ? readdirSync(folder).map((f) => f.replace(/\.(png|jpe?g)$/, '')).sort() : [];
}

/** A job context for one CLI run: the cached networks and images, progress to `report`, never cancelled. */
export function cliContext(report: (progress: JobProgress) => void): JobContext {
  return { signal: new AbortController().signal, onProgress: report, networks: cachedNetworks, assets: cachedAssets };
}
