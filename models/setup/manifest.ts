// Types and reader for models/manifest.json: the list of every pretrained file and bundled image Pastiche uses,
// each pinned by sha256 and size. The manifest is the only place where upstream URLs live.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NetworkName } from '../weights/format';

/** One source file of a network, as published upstream. */
export interface ManifestFile {
  network: NetworkName;
  /** Path relative to the models mirror folder, e.g. `vgg19/model.json`. */
  path: string;
  /** Upstream URL pinned to a commit (`https://raw.githubusercontent.com/OWNER/REPO/COMMIT/PATH`). */
  url: string;
  sha256: string;
  size: number;
  licence: string;
  attribution: string;
}

/** One bundled image (style preset, texture, default content). */
export interface ManifestImage {
  /** Path relative to the images mirror folder and to `.cache/images/`, e.g. `styles/starry_night.jpg`. */
  path: string;
  title: string;
  sha256: string;
  size: number;
  licence: string;
  source: string;
  /** Best-known upstream copy; the sha256 decides whether it is the right file. */
  url: string;
}

export interface ModelsManifest {
  version: 1;
  files: ManifestFile[];
  images: ManifestImage[];
}

/** Kinds of source file that can be verified the same way. */
export type SourceEntry = Pick<ManifestFile, 'path' | 'url' | 'sha256' | 'size'>;

export const MANIFEST_PATH = path.join('models', 'manifest.json');

export function readModelsManifest(projectRoot: string): ModelsManifest {
  return JSON.parse(readFileSync(path.join(projectRoot, MANIFEST_PATH), 'utf8')) as ModelsManifest;
}

export function filesOf(manifest: ModelsManifest, network: NetworkName): ManifestFile[] {
  return manifest.files.filter((f) => f.network === network);
}

/** The one file of `network` whose path ends with `suffix` (e.g. `model.json`); throws when absent. */
export function fileOf(manifest: ModelsManifest, network: NetworkName, suffix: string): ManifestFile {
  const file = filesOf(manifest, network).find((f) => f.path.endsWith(suffix));
  if (!file) throw new Error(`models/manifest.json lists no ${suffix} for ${network}`);
  return file;
}
