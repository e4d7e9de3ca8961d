// The fixed targets of the Gatys objective, computed once per working size, tile by tile (forward passes only, one
// tile's activations at a time, so a 4096 px content or style never runs through VGG19 in one piece):
// - per pyramid level and style layer, the Gram matrix of the styles blended by weight (each style through its own
//   pyramid, Grams normalized by its own positions, so styles of any size blend);
// - the content's relu3_2 features at full resolution, kept as a plain array: the tiled objective uploads only the
//   block a tile owns, and the job holds no image-sized target tensor.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { CONTENT_LAYER, STYLE_LAYERS, featurePositions, featureSide, ownedBlock, ownedRows, planGatysTiles, tileInput, tiledGramSums } from './gatys-tiles';
import { imagePyramid } from './pyramid';
import type { RgbFloatImage } from '../texture/pixels';

export interface GramTarget {
  /** [C, C], owned by the target (disposeGramTargets). */
  gram: tf.Tensor2D;
  /** mean(gram²): the normalization of the style term. */
  meanSquare: number;
}

export interface ContentTarget {
  /** relu3_2 of the whole content, [rows, columns, channels] row-major. */
  features: Float32Array;
  rows: number;
  columns: number;
  channels: number;
  /** mean(features²): the normalization of the content term. */
  meanSquare: number;
}

export interface WeightedStyle {
  image: RgbFloatImage;
  weight: number;
}

/** targets[level][layer] for STYLE_LAYERS: Σ_s (w_s / Σw) · Gram_s. */
export async function styleGramTargets(vgg: Vgg19, styles: readonly WeightedStyle[], levels: number, tileSide: number): Promise<GramTarget[][]> {
  const total = styles.reduce((sum, s) => sum + s.weight, 0);
  const blended: tf.Tensor2D[][] = [];
  try {
    for (const style of styles) {
      const pyramid = imagePyramid(style.image, levels);
      for (let level = 0; level < levels; level++) {
        const image = pyramid[level];
        const sums = await tiledGramSums(vgg, image, planGatysTiles(image.width, image.height, tileSide));
        const previous = blended[level] ?? [];
        try {
          blended[level] = tf.tidy(() =>
            STYLE_LAYERS.map((layer, i) => {
              const gram = tf.mul(sums[i], style.weight / total / featurePositions(image.width, image.height, layer)) as tf.Tensor2D;
              return previous.length ? (tf.add(previous[i], gram) as tf.Tensor2D) : gram;
            }),
          );
        } finally {
          tf.dispose(blended[level] === previous ? sums : [...sums, ...previous]);
        }
      }
    }
    // Every target's mean square in one read, not one synchronous read per Gram: on a GPU each read waits for the
    // queue to drain (measured 2-3 s apiece on SwiftShader's WebGPU, where a 2-level job made 10 of them).
    const squares = tf.tidy(() => tf.stack(blended.flat().map((gram) => tf.mean(tf.square(gram)))));
    const meanSquares = await squares.data();
    squares.dispose();
    let next = 0;
    return blended.map((row) => row.map((gram) => ({ gram, meanSquare: Math.max(meanSquares[next++], 1e-12) })));
  } catch (error) {
    tf.dispose(blended.flat());
    throw error;
  }
}

export function disposeGramTargets(targets: readonly GramTarget[][]): void {
  tf.dispose(targets.flat().map((t) => t.gram));
}

/** relu3_2 of `content`, assembled from every tile's owned block. */
export async function contentTarget(vgg: Vgg19, content: RgbFloatImage, tileSide: number): Promise<ContentTarget> {
  let out: ContentTarget | null = null;
  let sumSquares = 0;
  for (const tile of planGatysTiles(content.width, content.height, tileSide)) {
    const input = tileInput(content, tile);
    const block = ownedBlock(tile, content.width, content.height, CONTENT_LAYER);
    const owned = tf.tidy(() => ownedRows(vgg.features(input, [CONTENT_LAYER])[CONTENT_LAYER], block));
    input.dispose();
    try {
      const values = (await owned.data()) as Float32Array;
      const channels = owned.shape[1];
      out ??= {
        rows: featureSide(content.height, CONTENT_LAYER),
        columns: featureSide(content.width, CONTENT_LAYER),
        channels,
        features: new Float32Array(featurePositions(content.width, content.height, CONTENT_LAYER) * channels),
        meanSquare: 0,
      };
      for (let r = 0; r < block.rows; r++) {
        out.features.set(values.subarray(r * block.columns * channels, (r + 1) * block.columns * channels), ((block.y0 + r) * out.columns + block.x0) * channels);
      }
      for (let i = 0; i < values.length; i++) sumSquares += values[i] * values[i];
    } finally {
      owned.dispose();
    }
  }
  if (!out) throw new Error('contentTarget: an image with no tiles');
  out.meanSquare = Math.max(sumSquares / out.features.length, 1e-12);
  return out;
}

/** The block of the content target a tile owns, as a [rows·columns, channels] tensor (the caller disposes it). */
export function contentBlock(target: ContentTarget, block: { x0: number; y0: number; columns: number; rows: number }): tf.Tensor2D {
  const c = target.channels;
  const values = new Float32Array(block.rows * block.columns * c);
  for (let r = 0; r < block.rows; r++) {
    const from = ((block.y0 + r) * target.columns + block.x0) * c;
    values.set(target.features.subarray(from, from + block.columns * c), r * block.columns * c);
  }
  return tf.tensor2d(values, [block.rows * block.columns, c]);
}
