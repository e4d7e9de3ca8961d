// Runs the style transformer over an image of any size, one tile at a time.
//
// Why tiles share statistics: the transformer's conditional instance norms normalise each feature map by its
// mean and variance over the image. Run on separate tiles, each tile would get its own statistics, and so its
// own brightness and colour cast: visible seams. So one low-resolution pass of the whole image (captureNormStats)
// records the statistics, and every tile is normalised with them, as if it were part of that one pass.
// Only one tile's tensors exist at a time; the result is assembled in a Float32Array on the CPU side, so backend
// memory is bounded by the tile size whatever the image size.
import * as tf from '@tensorflow/tfjs';
import { disposeNormStats, type NormStats, type StyleTransformer } from '../../models/networks/magenta';
import { throwIfAborted } from '../errors';
import { keepContentChroma } from './color';
import { resampleFloat, type RgbAlphaPlanes } from './fast-resample';
import { accumulateTile, DEFAULT_TILING, planTiles, type Tile, type TilingOptions } from './tiling';

export interface StylizeOptions {
  tiling?: TilingOptions;
  /** Longest side of the whole-image pass that gives the norm statistics to every tile. */
  statsSize?: number;
  /** Keep the content's chroma (see color.ts). */
  preserveColors?: boolean;
  /** Norm statistics to use instead of computing them (tests compare tiled and untiled runs with the same ones). */
  normStats?: NormStats;
  signal?: AbortSignal;
  /** Called after each tile with (tiles done, tiles in all). */
  onTile?: (done: number, total: number) => void;
}

export const DEFAULT_STATS_SIZE = 512;

/** The transformer's smallest workable input side (two stride-2 convs and 9x9 mirror padding). */
const MIN_SIDE = 32;

/**
 * Stylized RGB of `content` (0..1, 3 floats a pixel, same size). Images no larger than a tile run in one pass with
 * their own statistics, exactly as the network was trained; larger ones are tiled with shared statistics.
 */
export async function stylizePlanes(transformer: StyleTransformer, content: RgbAlphaPlanes, bottleneck: tf.Tensor, options: StylizeOptions = {}): Promise<Float32Array> {
  const tiling = options.tiling ?? DEFAULT_TILING;
  const tiles = planTiles(content.width, content.height, tiling);
  const ownStats = tiles.length > 1 && !options.normStats ? globalNormStats(transformer, content, bottleneck, options.statsSize ?? DEFAULT_STATS_SIZE) : undefined;
  const normStats = options.normStats ?? ownStats;
  try {
    const output = new Float32Array(content.width * content.height * 3);
    for (let t = 0; t < tiles.length; t++) {
      throwIfAborted(options.signal);
      const rgb = await stylizeTile(transformer, content, tiles[t], bottleneck, normStats, options.preserveColors ?? false);
      accumulateTile(output, content.width, tiles[t], rgb);
      options.onTile?.(t + 1, tiles.length);
    }
    return output;
  } finally {
    if (ownStats) disposeNormStats(ownStats);
  }
}

/** Norm statistics of one pass over the whole image shrunk to at most `statsSize` px on its longest side. */
export function globalNormStats(transformer: StyleTransformer, content: RgbAlphaPlanes, bottleneck: tf.Tensor, statsSize: number): NormStats {
  const scale = Math.min(1, statsSize / Math.max(content.width, content.height));
  const width = Math.max(MIN_SIDE, Math.round(content.width * scale));
  const height = Math.max(MIN_SIDE, Math.round(content.height * scale));
  const small = resampleFloat(content.rgb, content.width, content.height, 3, width, height);
  const input = tf.tidy(() => tf.div<tf.Tensor4D>(tf.tensor4d(small, [1, height, width, 3]), 255));
  try {
    return transformer.captureNormStats(input, bottleneck);
  } finally {
    input.dispose();
  }
}

/** One tile through the network: stylized RGB 0..1, 3 floats a pixel, the tile's size. */
async function stylizeTile(transformer: StyleTransformer, content: RgbAlphaPlanes, tile: Tile, bottleneck: tf.Tensor, normStats: NormStats | undefined, preserveColors: boolean): Promise<Float32Array> {
  const result = tf.tidy(() => {
    const input = tileTensor(content, tile);
    // Very thin images: pad by repeating edge pixels up to what the network needs, then crop back.
    const padded = padToMinSide(input);
    let y = transformer.transform(padded, bottleneck, { normStats });
    if (padded !== input) y = tf.slice(y, [0, 0, 0, 0], [1, tile.height, tile.width, 3]);
    return preserveColors ? keepContentChroma(y, input) : y;
  });
  try {
    return (await result.data()) as Float32Array;
  } finally {
    result.dispose();
  }
}

function tileTensor(content: RgbAlphaPlanes, tile: Tile): tf.Tensor4D {
  const data = new Float32Array(tile.width * tile.height * 3);
  for (let j = 0; j < tile.height; j++) {
    const from = ((tile.y + j) * content.width + tile.x) * 3;
    for (let k = 0; k < tile.width * 3; k++) data[j * tile.width * 3 + k] = content.rgb[from + k] / 255;
  }
  return tf.tensor4d(data, [1, tile.height, tile.width, 3]);
}

function padToMinSide(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h >= MIN_SIDE && w >= MIN_SIDE) return x;
  const rows = Array.from({ length: Math.max(h, MIN_SIDE) }, (_, i) => Math.min(i, h - 1));
  const columns = Array.from({ length: Math.max(w, MIN_SIDE) }, (_, i) => Math.min(i, w - 1));
  return tf.gather(tf.gather(x, rows, 1), columns, 2) as tf.Tensor4D;
}
