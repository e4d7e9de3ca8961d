// The first layer's responses to an image: which of its channels fire most, and where. Each of the `count`
// channels with the highest mean activation becomes a small grey image (the activation map, min–max normalised to
// 0..255 on its own, so a weak channel's pattern is as visible as a strong one's). Feature-map size: half the
// image for MobileNetV2's stride-2 stem.
import * as tf from '@tensorflow/tfjs';
import { assertNotEmpty, createRgbaImage, type RgbaImage } from '../image';
import type { FeatureNetwork } from '../reconstruct/feature-network';
import { resampleToPlanes, sizeForLongestSide } from '../style/fast-resample';

export interface ChannelResponse {
  channel: number;
  /** Mean activation over the map (the ranking key). */
  mean: number;
  /** The activation map, grey, opaque. */
  image: RgbaImage;
}

export interface ResponseOptions {
  /** How many channels (the strongest first). */
  count: number;
  /** Longest side the image is resampled to before the network (0 = as is). */
  size: number;
}

export const DEFAULT_RESPONSES: ResponseOptions = { count: 16, size: 0 };

export async function firstLayerResponses(network: FeatureNetwork, image: RgbaImage, options: Partial<ResponseOptions> = {}): Promise<ChannelResponse[]> {
  const o = { ...DEFAULT_RESPONSES, ...options };
  assertNotEmpty(image, 'The image');
  const size = sizeForLongestSide(image.width, image.height, o.size);
  const planes = resampleToPlanes(image, size.width, size.height);
  const features = tf.tidy(() => network.features(tf.div(tf.tensor4d(Float32Array.from(planes.rgb), [1, size.height, size.width, 3]), 255) as tf.Tensor4D, network.firstLayer));
  let values: Float32Array;
  try {
    values = (await features.data()) as Float32Array;
  } finally {
    features.dispose();
  }
  const [, h, w, channels] = features.shape;
  return strongestChannels(values, h, w, channels, o.count);
}

/** The `count` channels of an [h, w, channels] map with the highest means, as normalised grey images. */
export function strongestChannels(values: Float32Array, h: number, w: number, channels: number, count: number): ChannelResponse[] {
  const means = new Float64Array(channels);
  for (let p = 0; p < h * w; p++) for (let c = 0; c < channels; c++) means[c] += values[p * channels + c];
  const order = [...means.keys()].sort((a, b) => means[b] - means[a] || a - b).slice(0, Math.max(0, count));
  return order.map((channel) => {
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = values[p * channels + channel];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const range = max - min;
    const data = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      const g = range > 0 ? Math.round(((values[p * channels + channel] - min) / range) * 255) : 0;
      data[p * 4] = data[p * 4 + 1] = data[p * 4 + 2] = g;
      data[p * 4 + 3] = 255;
    }
    return { channel, mean: means[channel] / (h * w), image: createRgbaImage(w, h, data) };
  });
}
