// Test-only helpers: read the pretrained .tflite files (the verified sources the setup keeps in .cache/sources) and
// the bundled images (.cache/images), convert in memory, and decode PNG/JPEG to [H,W,3] tensors in 0..1.
import { readFileSync, existsSync } from 'fs';
import { join } from 'path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { convertTflite, type TfliteNetwork } from '../../models/tflite/convert';
import type { ConvertedWeights } from '../../models/weights/format';

import { CACHE_DIR, IMAGES_DIR } from '../support/assets';

/** The verified model source files, as the setup step (npm install / npm run models) keeps them. */
export const SOURCES_DIR = join(CACHE_DIR, 'sources');

export const TFLITE_FILES: Record<TfliteNetwork, string> = {
  mobilenet_v2: 'mobilenet_v2/mobilenet_v2_1.0_224_quant.tflite',
  magenta_predictor: 'magenta/style_predict_quantized_256.tflite',
  magenta_transformer: 'magenta/style_transfer_f16_384.tflite',
};

export function readTflite(network: TfliteNetwork): Uint8Array {
  const path = join(SOURCES_DIR, TFLITE_FILES[network]);
  if (!existsSync(path)) throw new Error(`${path} not found: run "npm run models"`);
  return readFileSync(path);
}

const converted = new Map<TfliteNetwork, ConvertedWeights>();
export function convertedWeights(network: TfliteNetwork): ConvertedWeights {
  let c = converted.get(network);
  if (!c) {
    c = convertTflite(network, readTflite(network), ['test']);
    converted.set(network, c);
  }
  return c;
}

export function readLabels(): string[] {
  return readFileSync(join(SOURCES_DIR, 'mobilenet_v2/imagenet_labels.txt'), 'utf8').split('\n').filter((l, i, a) => l.length > 0 || i < a.length - 1);
}

/** RGB image in 0..1 as [H,W,3]. */
export function readImage(relativePath: string): tf.Tensor3D {
  const path = join(IMAGES_DIR, relativePath);
  const bytes = readFileSync(path);
  const { width, height, data } = path.endsWith('.png') ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true });
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = data[4 * i + c]! / 255;
  return tf.tensor3d(rgb, [height, width, 3]);
}

/** Image resized (bilinear) to [1,h,w,3]. */
export function readImageResized(relativePath: string, size: [number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.image.resizeBilinear(tf.expandDims(readImage(relativePath), 0) as tf.Tensor4D, size, true));
}

export function writePng(path: string, image: tf.Tensor3D | tf.Tensor4D): void {
  const [h, w] = image.rank === 4 ? image.shape.slice(1, 3) : image.shape.slice(0, 2);
  const values = image.dataSync();
  const png = new PNG({ width: w!, height: h! });
  for (let i = 0; i < w! * h!; i++) {
    for (let c = 0; c < 3; c++) png.data[4 * i + c] = Math.round(Math.min(1, Math.max(0, values[3 * i + c]!)) * 255);
    png.data[4 * i + 3] = 255;
  }
  require('fs').writeFileSync(path, PNG.sync.write(png));
}
