// VGG19 over tiles for the Gatys objective: which layers it reads, the tiles of an image (optimize/feature-tiles.ts,
// bounded, with the margin relu3_2 needs), the block of a feature map each tile owns, and the first pass of a tiled
// Gram computation (every tile's owned FᵀF added up, one tile's activations alive at a time).
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { CONTENT_FEATURE_MARGIN, type FeatureTile, axisFeatureRange, gatherTile, ownedFeatures, planFeatureTiles } from '../optimize/feature-tiles';
import { gramSum } from '../optimize/matrix-ops';
import type { RgbFloatImage } from '../texture/pixels';

/** The first ReLU of each block, as in Gatys et al. (who add conv4_1 and conv5_1, absent from blocks 1-3). */
export const STYLE_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1'] as const;
/** relu3_2: deep enough to hold the objects' layout yet loose about textures; the deepest choice in blocks 1-3
 *  short of relu3_4 (which starts to pin down fine detail again at this resolution less than it frees colour). */
export const CONTENT_LAYER = 'relu3_2';
export type GatysLayer = (typeof STYLE_LAYERS)[number] | typeof CONTENT_LAYER;
/** Max-pool depth of each layer: its feature map is 2^k times smaller than the input. */
export const POOL_LEVEL: Record<GatysLayer, number> = { relu1_1: 0, relu2_1: 1, relu3_1: 2, relu3_2: 2 };

/** The tiles of a width x height image, owned sides ≤ tileSide (one tile when it fits). */
export function planGatysTiles(width: number, height: number, tileSide: number): FeatureTile[] {
  return planFeatureTiles(width, height, tileSide, false, CONTENT_FEATURE_MARGIN);
}

/** A whole image's feature map side at a layer, from its pixel side (VGG's 2x2 pools drop an odd last one). */
export function featureSide(size: number, layer: GatysLayer): number {
  return axisFeatureRange(size, POOL_LEVEL[layer], false).end;
}

/** Positions of a whole image's feature map at a layer. */
export function featurePositions(width: number, height: number, layer: GatysLayer): number {
  return featureSide(width, layer) * featureSide(height, layer);
}

/** The tile's input pixels as a [1, h, w, 3] tensor. */
export function tileInput(image: RgbFloatImage, tile: FeatureTile): tf.Tensor4D {
  return tf.tensor4d(gatherTile(image.rgb, image.width, image.height, tile), [1, tile.y.inLength, tile.x.inLength, 3]);
}

/** Where a tile's owned block sits: its offset in the tile's feature map, its start in the whole map, its size. */
export interface OwnedBlock {
  tileX: number;
  tileY: number;
  x0: number;
  y0: number;
  columns: number;
  rows: number;
}

export function ownedBlock(tile: FeatureTile, width: number, height: number, layer: GatysLayer): OwnedBlock {
  const k = POOL_LEVEL[layer];
  const ox = ownedFeatures(tile.x, width, k);
  const oy = ownedFeatures(tile.y, height, k);
  return { tileX: ox.offset, tileY: oy.offset, x0: tile.x.start >> k, y0: tile.y.start >> k, columns: ox.count, rows: oy.count };
}

/** The owned block of a tile's feature map as [N, C] rows (N = 0 when the tile owns no position there). */
export function ownedRows(features: tf.Tensor4D, block: OwnedBlock): tf.Tensor2D {
  const channels = features.shape[3];
  return tf.reshape(tf.slice(features, [0, block.tileY, block.tileX, 0], [1, block.rows, block.columns, channels]), [block.rows * block.columns, channels]);
}

/**
 * Σ FᵀF over every tile's owned positions, per style layer (unnormalized Gram sums, [C, C] each; the caller
 * disposes them). Forward passes only; each tile's work is finished before the next starts, so memory stays one
 * tile's activations.
 */
export async function tiledGramSums(vgg: Vgg19, image: RgbFloatImage, tiles: readonly FeatureTile[]): Promise<tf.Tensor2D[]> {
  let sums: tf.Tensor2D[] = [];
  try {
    for (const tile of tiles) {
      const input = tileInput(image, tile);
      const next = tf.tidy(() => {
        const features = vgg.features(input, STYLE_LAYERS);
        return STYLE_LAYERS.map((layer, i) => {
          const block = ownedBlock(tile, image.width, image.height, layer);
          const channels = features[layer].shape[3];
          const part = block.rows * block.columns ? gramSum(ownedRows(features[layer], block)) : (tf.zeros([channels, channels]) as tf.Tensor2D);
          return sums.length ? (tf.add(sums[i], part) as tf.Tensor2D) : part;
        });
      });
      input.dispose();
      tf.dispose(sums);
      sums = next;
      await sums[0].data(); // let the backend finish this tile before the next one's activations
    }
    return sums;
  } catch (error) {
    tf.dispose(sums);
    throw error;
  }
}
