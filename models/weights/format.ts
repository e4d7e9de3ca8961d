// The converted-weights format, shared by the setup step (writes it), the build (inlines it into the UI)
// and the loaders (read it). It is TF.js's own weights format: a manifest of named weights plus one binary
// shard, so `tf.io.decodeWeights` reads it without any TFLite parsing at run time.
import type { io } from '@tensorflow/tfjs-core';

/** The networks that Pastiche ships. One folder each in the cache: `.cache/models/<name>/`. */
export type NetworkName = 'mobilenet_v2' | 'magenta_predictor' | 'magenta_transformer' | 'vgg19' | 'darknet_tiny';

export const NETWORK_NAMES: readonly NetworkName[] = [
  'mobilenet_v2',
  'magenta_predictor',
  'magenta_transformer',
  'vgg19',
  'darknet_tiny',
];

/** Content of `.cache/models/<name>/weights.json`. The binary shard sits beside it as `weights.bin`. */
export interface ConvertedManifest {
  format: 'pastiche-weights-1';
  network: NetworkName;
  /** sha256 of the source files it was converted from, so a stale cache is detected. */
  sourceSha256: string[];
  /** TF.js weight specs (name, shape, dtype, optional quantization float16/uint8) in shard order. */
  weights: io.WeightsManifestEntry[];
  /** Network-specific extras that are not tensors (e.g. labels, input quantization, layer order). */
  extras?: Record<string, unknown>;
}

/** A converted network in memory: its manifest and its shard. */
export interface ConvertedWeights {
  manifest: ConvertedManifest;
  data: ArrayBuffer;
}

export const CACHE_DIR_NAME = '.cache/models';
export const MANIFEST_FILE = 'weights.json';
export const SHARD_FILE = 'weights.bin';
