// The measures every texture test asserts on, computed with the real VGG19 (for Gram distances) or on pixels.
//
// - gramDistance(a → b): mean((G_a − G_b)²) / mean(G_b²), averaged over relu1_1, relu2_1, relu3_1, both images at
//   their own pixel scale (no resize: Gram matrices are normalized by H·W, so sizes may differ). 0 = same
//   statistics. b is the reference.
// - halvesFloor(sample): the Gram distance between disjoint halves of the sample (left → right and top →
//   bottom, and their mean): what "the same texture" scores, the floor an output is measured against.
// - copiedPatchFraction(output, sample): of the 16x16 patches of `output` on a 16-px grid, the fraction that occur
//   somewhere in `sample` (any position) with a mean absolute difference ≤ 3/255: a copy detector.
// - wrapStep(image): mean |last column − first column| and |last row − first row| (pooled over both, all
//   channels) divided by the mean step between neighbouring pixels inside the image (pooled over both
//   directions): ≈ 1 when the wrap-around edge is like the interior (tiling shows no seam). The shipped textures
//   score brick 5.72, grass 2.08, gravel 3.24.
// - labelSeamStep(image, labels): mean step between neighbours from different quilting blocks / mean step
//   between neighbours of the same block (the boundary cut's seam).
// - lineStep(image, xs, ys): mean step across the vertical lines x−1|x (x in xs) and horizontal lines y−1|y,
//   divided by the mean step elsewhere (seams along tile lines).
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { createVgg19 } from '../../models/networks/vgg19';
import { decodeConvertedWeights } from '../../models/weights/decode';
import { createFileWeightStore } from '../../models/weights/file-store';
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { meanColouredNoise } from '../../techniques/texture/noise';
import { toOpaqueRgba, toRgbFloat } from '../../techniques/texture/pixels';
import { axisResample, resample } from '../../techniques/texture/resample';
import { seededRandom } from '../../techniques/random';
import { MODELS_DIR, readAsset, useWasmBackend } from './assets';

export const TEXTURE_METRIC_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1'] as const;

/** VGG19 from the converted cache on the WASM backend (no host registry involved). */
export async function loadVgg19(): Promise<Vgg19> {
  await useWasmBackend();
  const weights = await createFileWeightStore(MODELS_DIR).load('vgg19');
  return createVgg19(decodeConvertedWeights(weights));
}

/** A shared texture, area-reduced to `side` px (the whole sample, many texture elements, small for speed). */
export function textureSample(name: string, side: number): RgbaImage {
  const image = readAsset('textures', name);
  const rgb = toRgbFloat(image);
  return toOpaqueRgba(resample(rgb.rgb, 3, axisResample(image.width, side, false), axisResample(image.height, side, false)), side, side);
}

function grams(vgg: Vgg19, image: RgbaImage): tf.Tensor2D[] {
  return tf.tidy(() => {
    const rgb = tf.tensor4d(toRgbFloat(image).rgb, [1, image.height, image.width, 3]);
    const features = vgg.features(rgb, TEXTURE_METRIC_LAYERS);
    return TEXTURE_METRIC_LAYERS.map((layer) => {
      const f = features[layer];
      const flat = tf.reshape(f, [-1, f.shape[3]]) as tf.Tensor2D;
      return tf.div(tf.matMul(flat, flat, true, false), flat.shape[0]) as tf.Tensor2D;
    });
  });
}

export async function gramDistance(vgg: Vgg19, a: RgbaImage, b: RgbaImage): Promise<number> {
  const ga = grams(vgg, a);
  const gb = grams(vgg, b);
  try {
    const ratios = tf.tidy(() => tf.stack(ga.map((g, i) => tf.div(tf.mean(tf.squaredDifference(g, gb[i])), tf.mean(tf.square(gb[i]))))));
    const values = await ratios.data();
    ratios.dispose();
    return Array.from(values).reduce((s, v) => s + v, 0) / values.length;
  } finally {
    tf.dispose([...ga, ...gb]);
  }
}

export function cropImage(image: RgbaImage, x: number, y: number, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let j = 0; j < height; j++) data.set(image.data.subarray(((y + j) * image.width + x) * 4, ((y + j) * image.width + x + width) * 4), j * width * 4);
  return createRgbaImage(width, height, data);
}

export async function halvesFloor(vgg: Vgg19, sample: RgbaImage): Promise<{ leftRight: number; topBottom: number; mean: number }> {
  const w = sample.width;
  const h = sample.height;
  const hw = Math.floor(w / 2);
  const hh = Math.floor(h / 2);
  const leftRight = await gramDistance(vgg, cropImage(sample, 0, 0, hw, h), cropImage(sample, w - hw, 0, hw, h));
  const topBottom = await gramDistance(vgg, cropImage(sample, 0, 0, w, hh), cropImage(sample, 0, h - hh, w, hh));
  return { leftRight, topBottom, mean: (leftRight + topBottom) / 2 };
}

/** Noise with the sample's mean colour and colour covariance, the size of `sample` (the synthesis's start). */
export function meanColouredNoiseImage(sample: RgbaImage, width: number, height: number, seed: number): RgbaImage {
  return toOpaqueRgba(meanColouredNoise(toRgbFloat(sample).rgb, width, height, seededRandom(seed)), width, height);
}

export function copiedPatchFraction(output: RgbaImage, sample: RgbaImage, patch = 16, tolerance = 3 / 255): number {
  const limit = tolerance * 255 * patch * patch * 3; // the largest allowed sum of |differences|
  const o = Int32Array.from(output.data);
  const s = Int32Array.from(sample.data);
  const sw = sample.width;
  const sh = sample.height;
  // Per-channel sums of every sample patch (summed-area table): Σ|a − b| ≥ |Σa − Σb| per channel, which rejects
  // almost every position before any pixel is compared.
  const table = new Float64Array((sw + 1) * (sh + 1) * 3);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      for (let c = 0; c < 3; c++) {
        const at = ((y + 1) * (sw + 1) + x + 1) * 3 + c;
        table[at] = s[(y * sw + x) * 4 + c] + table[at - 3] + table[at - (sw + 1) * 3] - table[at - (sw + 2) * 3];
      }
    }
  }
  const patchSum = (x: number, y: number, c: number) =>
    table[((y + patch) * (sw + 1) + x + patch) * 3 + c] - table[(y * (sw + 1) + x + patch) * 3 + c] - table[((y + patch) * (sw + 1) + x) * 3 + c] + table[(y * (sw + 1) + x) * 3 + c];
  let patches = 0;
  let copied = 0;
  for (let py = 0; py + patch <= output.height; py += patch) {
    for (let px = 0; px + patch <= output.width; px += patch) {
      patches++;
      const sums = [0, 0, 0];
      for (let j = 0; j < patch; j++) for (let i = 0; i < patch; i++) for (let c = 0; c < 3; c++) sums[c] += o[((py + j) * output.width + px + i) * 4 + c];
      let found = false;
      for (let sy = 0; sy + patch <= sh && !found; sy++) {
        for (let sx = 0; sx + patch <= sw && !found; sx++) {
          const bound = abs(sums[0] - patchSum(sx, sy, 0)) + abs(sums[1] - patchSum(sx, sy, 1)) + abs(sums[2] - patchSum(sx, sy, 2));
          if (bound > limit) continue;
          let total = 0;
          for (let j = 0; j < patch && total <= limit; j++) {
            let a = ((py + j) * output.width + px) * 4;
            let b = ((sy + j) * sw + sx) * 4;
            for (let i = 0; i < patch; i++, a += 4, b += 4) total += abs(o[a] - s[b]) + abs(o[a + 1] - s[b + 1]) + abs(o[a + 2] - s[b + 2]);
          }
          if (total <= limit) found = true;
        }
      }
      if (found) copied++;
    }
  }
  return copied / patches;
}

/** |v| without Math.abs: under Jest's VM context Math.abs is not inlined (120 ns a call, measured; 1 ns outside). */
const abs = (v: number) => (v < 0 ? -v : v);

function diff(d: Uint8ClampedArray, a: number, b: number): number {
  return abs(d[a] - d[b]) + abs(d[a + 1] - d[b + 1]) + abs(d[a + 2] - d[b + 2]);
}

export function wrapStep(image: RgbaImage): { wrap: number; interior: number; ratio: number } {
  const { width: w, height: h, data } = image;
  let inner = 0;
  let innerCount = 0;
  let wrap = 0;
  let wrapCount = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      if (x + 1 < w) {
        inner += diff(data, p, p + 4);
        innerCount++;
      } else {
        wrap += diff(data, p, y * w * 4);
        wrapCount++;
      }
      if (y + 1 < h) {
        inner += diff(data, p, p + w * 4);
        innerCount++;
      } else {
        wrap += diff(data, p, x * 4);
        wrapCount++;
      }
    }
  }
  const ratio = wrap / wrapCount / (inner / innerCount);
  return { wrap: wrap / wrapCount / 3, interior: inner / innerCount / 3, ratio };
}

export function labelSeamStep(image: RgbaImage, labels: Int32Array): { seam: number; interior: number; ratio: number; seamPairs: number } {
  const { width: w, height: h, data } = image;
  let seam = 0;
  let seamCount = 0;
  let inner = 0;
  let innerCount = 0;
  const add = (p: number, q: number) => {
    const d = diff(data, p * 4, q * 4);
    if (labels[p] !== labels[q]) {
      seam += d;
      seamCount++;
    } else {
      inner += d;
      innerCount++;
    }
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (x + 1 < w) add(p, p + 1);
      if (y + 1 < h) add(p, p + w);
    }
  }
  return { seam: seam / seamCount / 3, interior: inner / innerCount / 3, ratio: seam / seamCount / (inner / innerCount), seamPairs: seamCount };
}

export function lineStep(image: RgbaImage, xs: readonly number[], ys: readonly number[]): { line: number; interior: number; ratio: number } {
  const { width: w, height: h, data } = image;
  const onX = new Set(xs);
  const onY = new Set(ys);
  let line = 0;
  let lineCount = 0;
  let inner = 0;
  let innerCount = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      if (x + 1 < w) {
        const d = diff(data, p, p + 4);
        if (onX.has(x + 1)) {
          line += d;
          lineCount++;
        } else {
          inner += d;
          innerCount++;
        }
      }
      if (y + 1 < h) {
        const d = diff(data, p, p + w * 4);
        if (onY.has(y + 1)) {
          line += d;
          lineCount++;
        } else {
          inner += d;
          innerCount++;
        }
      }
    }
  }
  return { line: line / lineCount / 3, interior: inner / innerCount / 3, ratio: line / lineCount / (inner / innerCount) };
}

/** The image repeated 2x2 (what a designer sees when the texture tiles), for a look by eye. */
export function tile2x2(image: RgbaImage): RgbaImage {
  const { width: w, height: h } = image;
  const data = new Uint8ClampedArray(w * h * 16);
  for (let y = 0; y < 2 * h; y++) for (let x = 0; x < 2 * w; x++) data.set(image.data.subarray(((y % h) * w + (x % w)) * 4, ((y % h) * w + (x % w)) * 4 + 4), (y * 2 * w + x) * 4);
  return createRgbaImage(2 * w, 2 * h, data);
}
