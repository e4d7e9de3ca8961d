// The two embedding spaces of "find similar images" (CS231n lecture 12, "last layer: nearest neighbours"):
// - MobileNetV2's 'embedding' (the 1280-d global average of its last feature map, before the classifier) of the
//   224 px centre view: images of the same thing land close together even when flipped, cropped or recoloured;
// - raw pixels (a 32 px centre view, each colour channel's mean removed): the lecture's counterpoint, where a flip
//   or a colour shift moves an image far from itself.
// Both give L2-normalised vectors, so cosine similarity is a plain dot product and t-SNE sees comparable scales.
import * as tf from '@tensorflow/tfjs';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import type { RgbaImage } from '../image';
import { l2Normalize } from './vectors';
import { squareView } from './view';

export interface Embedder {
  /** Names the embedding space (part of cache keys: vectors of two spaces never mix). */
  readonly id: string;
  readonly dimension: number;
  /** Images per `embed` call that keep memory modest and throughput high. */
  readonly batchSize: number;
  /** One L2-normalised vector per image, in order. */
  embed(images: readonly RgbaImage[]): Promise<Float32Array[]>;
}

/** The classifier's native input size. */
export const MOBILENET_EMBEDDING_SIZE = 224;

export function mobileNetEmbedder(net: MobileNetV2, options: { batchSize?: number } = {}): Embedder {
  const size = MOBILENET_EMBEDDING_SIZE;
  return {
    id: `mobilenet_v2/embedding@${size}`,
    dimension: 1280,
    batchSize: options.batchSize ?? 8,
    async embed(images) {
      if (images.length === 0) return [];
      const batch = new Float32Array(images.length * size * size * 3);
      images.forEach((image, i) => batch.set(squareView(image, size), i * size * size * 3));
      // Float, never the quantization emulation: rounding only adds noise to distances.
      const embedding = tf.tidy(() => net.endpoints(tf.tensor4d(batch, [images.length, size, size, 3]), ['embedding'], { emulateQuantization: false }).embedding);
      try {
        const values = (await embedding.data()) as Float32Array;
        const dimension = embedding.shape[1] as number;
        return images.map((_, i) => l2Normalize(values.slice(i * dimension, (i + 1) * dimension)));
      } finally {
        embedding.dispose();
      }
    },
  };
}

/** Raw pixels of a size × size centre view, each channel's mean subtracted (so brightness and a uniform colour
 *  cast do not count), L2-normalised. */
export function pixelEmbedder(options: { size?: number } = {}): Embedder {
  const size = options.size ?? 32;
  return {
    id: `pixels@${size}`,
    dimension: size * size * 3,
    batchSize: 64,
    async embed(images) {
      return images.map((image) => {
        const v = squareView(image, size);
        for (let c = 0; c < 3; c++) {
          let mean = 0;
          for (let i = c; i < v.length; i += 3) mean += v[i];
          mean /= size * size;
          for (let i = c; i < v.length; i += 3) v[i] -= mean;
        }
        return l2Normalize(v);
      });
    },
  };
}
