// The setup step as a function: verify every source listed in models/manifest.json, convert each network into
// the cache and copy the bundled images, skipping whatever is already up to date. `setup.ts` is its CLI.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseLabels } from '../networks/labels';
import { CACHE_DIR_NAME, type ConvertedWeights, NETWORK_NAMES, type NetworkName } from '../weights/format';
import { isCacheFresh, networkCacheDir, writeAtomically, writeCache } from './cache';
import { DARKNET_CONVERTER_VERSION, convertDarknetTiny } from './convert-darknet';
import { DARKNET_TO_STANDARD } from './darknet-class-order';
import { VGG19_CONVERTER_VERSION, convertVgg19 } from './convert-vgg19';
import { SetupError } from './errors';
import { type ManifestFile, type ModelsManifest, fileOf, filesOf, readModelsManifest } from './manifest';
import { type SourceOptions, obtainVerified, sha256Hex } from './source-files';
import { type TfliteConverter, type TfliteNetwork, loadTfliteConverter } from './tflite-bridge';

export interface SetupOptions {
  /** Project root (holds models/manifest.json). Default: two folders above this file. */
  projectRoot?: string;
  /** Models mirror. Default: $PASTICHE_MODELS_DIR, else <root>/../shared/models when it exists, else none. */
  modelsDir?: string | null;
  /** Images mirror. Default: $PASTICHE_IMAGES_DIR, else <root>/../shared/images when it exists, else none. */
  imagesDir?: string | null;
  /** Cache root. Default: <root>/.cache (models in models/, images in images/). */
  cacheDir?: string;
  /** Fall back to upstream URLs for files a mirror lacks. Default true. */
  allowDownload?: boolean;
  /** Networks to set up. Default: all. */
  networks?: readonly NetworkName[];
  /** Copy the bundled images. Default true. */
  images?: boolean;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
}

export type NetworkStatus = 'up-to-date' | 'converted';

export interface SetupResult {
  networks: Partial<Record<NetworkName, NetworkStatus>>;
  images: { copied: number; upToDate: number };
  elapsedMs: number;
}

const TFLITE_NETWORKS: readonly NetworkName[] = ['mobilenet_v2', 'magenta_predictor', 'magenta_transformer'];
const LABELS_SUFFIX = 'imagenet_labels.txt';

export async function runSetup(options: SetupOptions = {}): Promise<SetupResult> {
  const started = Date.now();
  const root = options.projectRoot ?? path.resolve(__dirname, '..', '..');
  const cacheRoot = options.cacheDir ?? path.join(root, path.dirname(CACHE_DIR_NAME));
  const modelsCache = path.join(cacheRoot, path.basename(CACHE_DIR_NAME));
  const log = options.log ?? (() => undefined);
  const allowDownload = options.allowDownload ?? true;
  const manifest = readModelsManifest(root);
  const modelSources: SourceOptions = {
    mirrorDir: options.modelsDir !== undefined ? options.modelsDir : defaultMirror(root, 'PASTICHE_MODELS_DIR', 'models'),
    allowDownload,
    kind: 'model file',
  };

  const result: SetupResult = { networks: {}, images: { copied: 0, upToDate: 0 }, elapsedMs: 0 };
  let tflite: TfliteConverter | null | undefined; // loaded only when a TFLite network needs converting
  for (const network of options.networks ?? NETWORK_NAMES) {
    const sources = sourcesOf(manifest, network);
    const sourceSha256 = sources.map((f) => f.sha256);
    const dir = networkCacheDir(modelsCache, network);
    const isTflite = TFLITE_NETWORKS.includes(network);
    if (isTflite && tflite === undefined) tflite = await loadTfliteConverter();
    const version = isTflite ? (tflite?.version ?? 1) : KERAS_CONVERTER_VERSIONS[network as KerasNetwork];
    // The verified source files are kept in the cache too (sources/<manifest path>): tests read the original
    // .tflite and label files from there, never from a mirror folder outside the project.
    const bytes = new Map<string, Uint8Array>();
    for (const file of sources) bytes.set(file.path, await cachedSource(file, path.join(cacheRoot, SOURCES_DIR), modelSources));
    if (isCacheFresh(dir, sourceSha256, version)) {
      result.networks[network] = 'up-to-date';
      log(`${network}: up to date`);
      continue;
    }
    const t0 = Date.now();
    const converted = convertNetwork(network, manifest, bytes, sourceSha256, tflite ?? null);
    converted.manifest.extras = { ...converted.manifest.extras, converterVersion: version };
    writeCache(dir, converted);
    result.networks[network] = 'converted';
    log(`${network}: converted in ${Date.now() - t0} ms (${(converted.data.byteLength / 1e6).toFixed(1)} MB)`);
  }

  if (options.images ?? true) {
    const imageSources: SourceOptions = {
      mirrorDir: options.imagesDir !== undefined ? options.imagesDir : defaultMirror(root, 'PASTICHE_IMAGES_DIR', 'images'),
      allowDownload,
      kind: 'image',
    };
    for (const image of manifest.images) {
      const target = path.join(cacheRoot, 'images', image.path);
      if (existsSync(target) && sha256Hex(readFileSync(target)) === image.sha256) {
        result.images.upToDate++;
        continue;
      }
      const bytes = await obtainVerified(image, imageSources);
      mkdirSync(path.dirname(target), { recursive: true });
      writeAtomically(target, bytes);
      result.images.copied++;
    }
    log(`images: ${result.images.copied} copied, ${result.images.upToDate} up to date`);
  }
  result.elapsedMs = Date.now() - started;
  return result;
}

type KerasNetwork = 'vgg19' | 'darknet_tiny';
const KERAS_CONVERTER_VERSIONS: Record<KerasNetwork, number> = { vgg19: VGG19_CONVERTER_VERSION, darknet_tiny: DARKNET_CONVERTER_VERSION };

/** The manifest files a network is converted from, in a fixed order (their sha256 list marks the cache). */
function sourcesOf(manifest: ModelsManifest, network: NetworkName): ManifestFile[] {
  // Darknet's class order is ImageNet's standard order, so its labels come from MobileNet's label file.
  if (network === 'darknet_tiny') return [...filesOf(manifest, network), fileOf(manifest, 'mobilenet_v2', LABELS_SUFFIX)];
  return filesOf(manifest, network);
}

function convertNetwork(
  network: NetworkName,
  manifest: ModelsManifest,
  bytes: Map<string, Uint8Array>,
  sourceSha256: string[],
  tflite: TfliteConverter | null,
): ConvertedWeights {
  const read = (file: ManifestFile) => bytes.get(file.path) as Uint8Array;
  const labelsOf = () => parseLabels(new TextDecoder().decode(read(fileOf(manifest, 'mobilenet_v2', LABELS_SUFFIX))));
  try {
    switch (network) {
      case 'vgg19':
      case 'darknet_tiny': {
        const modelJson = fileOf(manifest, network, 'model.json');
        const readShard = (relative: string) => {
          const shard = bytes.get(path.posix.join(path.posix.dirname(modelJson.path), relative));
          if (!shard) throw new SetupError(`setup: ${network} model.json needs ${relative}, which models/manifest.json does not list`);
          return shard;
        };
        if (network === 'vgg19') return convertVgg19(read(modelJson), readShard, sourceSha256);
        return convertDarknetTiny(read(modelJson), readShard, darknetLabels(labelsOf()), sourceSha256);
      }
      default: {
        const tfliteFile = fileOf(manifest, network, '.tflite');
        const converted = (tflite as TfliteConverter).convert(network as TfliteNetwork, read(tfliteFile), sourceSha256);
        if (network === 'mobilenet_v2') converted.manifest.extras = { ...converted.manifest.extras, labels: labelsOf() };
        return converted;
      }
    }
  } catch (error) {
    if (error instanceof SetupError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SetupError(`setup: converting ${network} failed: ${reason.replace(/\s+/g, ' ')}`);
  }
}

/** MobileNet's 1001 labels (background first) rearranged into Darknet's own class order. */
function darknetLabels(mobilenetLabels: string[]): string[] {
  const standard = mobilenetLabels.slice(1);
  if (standard.length !== 1000 || new Set(DARKNET_TO_STANDARD).size !== 1000) throw new Error('darknet_tiny: class order table or label file is not 1000 classes');
  return DARKNET_TO_STANDARD.map((i) => standard[i]);
}

/** Where the verified model source files are kept, below the cache root. */
export const SOURCES_DIR = 'sources';

/** The verified bytes of a source file: from the cache when it holds them intact, else obtained and cached. */
async function cachedSource(file: ManifestFile, sourcesRoot: string, options: SourceOptions): Promise<Uint8Array> {
  const target = path.join(sourcesRoot, file.path);
  if (existsSync(target)) {
    const cached = new Uint8Array(readFileSync(target));
    if (cached.byteLength === file.size && sha256Hex(cached) === file.sha256) return cached;
  }
  const bytes = await obtainVerified(file, options);
  mkdirSync(path.dirname(target), { recursive: true });
  writeAtomically(target, bytes);
  return bytes;
}

function defaultMirror(root: string, envVar: string, sibling: string): string | null {
  const fromEnv = process.env[envVar];
  if (fromEnv) return path.resolve(fromEnv);
  const shared = path.resolve(root, '..', 'shared', sibling);
  return existsSync(shared) ? shared : null;
}
