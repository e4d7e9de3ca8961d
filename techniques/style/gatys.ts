// The Gatys path (Gatys, Ecker & Bethge 2015; CS231n lecture 12): optimize the image itself so that its VGG19
// features keep the content's layout and its Gram matrices match the style's, at several pyramid scales.
//
//   source -> resampled to params.size -> objective (targets computed once) -> L-BFGS or Adam for `steps`
//   iterations, previews every `previewEvery` -> best image (lowest loss) -> optional colour preservation
//   -> the (resampled) source's alpha put back.
import * as tf from '@tensorflow/tfjs';
import type { GatysParams, StyleParams } from './spec';
import { throwIfAborted } from '../errors';
import { assertNotEmpty, packRgba, type RgbaImage } from '../image';
import { withFacts, type JobContext, type JobImages, type Technique } from '../job';
import { createAdamImageOptimizer, createLbfgsImageOptimizer, type ImageOptimizer } from '../optimize/image-optimizer';
import { useFastConvInputGradient } from '../optimize/conv-input-gradient';
import { runOptimizationLoop } from '../optimize/optimization-loop';
import { keepContentChroma } from './color';
import { resampleAlpha, resampleFloat, resampleToPlanes, sizeForLongestSide, toPlanes, type RgbAlphaPlanes } from './fast-resample';
import { fitToMemory } from '../memory';
import { createGatysObjective, type GatysObjective, type StyleImage } from './gatys-objective';
import { usablePyramidLevels } from './pyramid';
import { resolveStyleImages } from './resolve-styles';

/**
 * The losses are normalized (each term ~1 when "completely wrong"), while the spec's weights follow the
 * classic unnormalized scale (style 1e3 × content, TV 1e-3). These factors map the defaults onto a balance that
 * was tuned by eye and by the style metric on chelsea/starry_night (see test/unit/style-gatys.test.ts).
 */
export const STYLE_WEIGHT_UNIT = 1e-1;
export const TV_WEIGHT_UNIT = 1e4;
/** Adam's step on the 0..1 pixel scale. */
export const ADAM_LEARNING_RATE = 0.02;

/**
 * Peak memory per working pixel: the gradient's tape holds VGG19's block 1-3 activations at every pyramid level, and
 * L-BFGS its history. Measured by the bench (gatys:lbfgs, one level, 512 px: 2.3 GB, 8.8 KB a pixel), plus a quarter
 * for the default second pyramid level. Above JOB_MEMORY_BUDGET / this (~540 × 540 px) the image is optimised at
 * the largest size that fits and resampled to the size asked for; the layer's name says so.
 */
export const GATYS_BYTES_PER_PIXEL = 11_000;

export const gatysStyleTransfer: Technique<StyleParams> = async (images: JobImages, params: StyleParams, context: JobContext): Promise<RgbaImage> => {
  const { source } = images;
  assertNotEmpty(source, 'The image');
  const g = params.gatys;
  const styles = await resolveStyleImages(params, images, context.assets);
  throwIfAborted(context.signal);
  const vgg = await context.networks.get('vgg19');
  useFastConvInputGradient();
  throwIfAborted(context.signal);

  const wanted = sizeForLongestSide(source.width, source.height, params.size);
  const size = fitToMemory(wanted, GATYS_BYTES_PER_PIXEL);
  const planes = resampleToPlanes(source, size.width, size.height);
  const content = planesToRgb(planes);
  const styleImages: StyleImage[] = styles.map((s) => ({ rgb: styleAtScale(s.image, size.width, size.height, params.styleScale), weight: s.weight }));
  let objective: GatysObjective | null = null;
  let optimizer: ImageOptimizer | null = null;
  try {
    context.onProgress({ fraction: 0, message: 'reading the style' });
    objective = createGatysObjective(vgg, content, styleImages, {
      contentWeight: g.contentWeight,
      styleWeight: g.styleWeight * STYLE_WEIGHT_UNIT,
      tvWeight: g.tvWeight * TV_WEIGHT_UNIT,
      levels: usablePyramidLevels(size.height, size.width, g.pyramidLevels),
    });
    optimizer = createOptimizer(objective, content, styleImages, g, params.preserveColors);
    const outcome = await runOptimizationLoop(optimizer, context, {
      steps: g.steps,
      previewEvery: g.previewEvery,
      toPreview: (image) => toRgba(image, planes, null),
    });
    try {
      const made = await toRgba(outcome.image, planes, params.preserveColors ? content : null);
      if (size.width === wanted.width && size.height === wanted.height) return withFacts(made, { stepsRun: outcome.stepsRun });
      const rgb = resampleFloat(toPlanes(made).rgb, size.width, size.height, 3, wanted.width, wanted.height);
      const result = packRgba(rgb, resampleAlpha(source, wanted.width, wanted.height), wanted.width, wanted.height);
      return withFacts(result, { stepsRun: outcome.stepsRun, detail: `made at ${Math.max(size.width, size.height)} px` });
    } finally {
      outcome.image.dispose();
    }
  } finally {
    optimizer?.dispose();
    objective?.dispose();
    tf.dispose([content, ...styleImages.map((s) => s.rgb)]);
  }
};

/**
 * L-BFGS's first trial step, as a root-mean-square change per pixel value (0..1 scale). Its default (Euclidean
 * length 1, i.e. 0.003 per value at 256 px) made the first line search double its step 5 times: 6 function
 * evaluations, ~16 s at 256 px. 0.08 is accepted after 1 to 3 evaluations.
 */
export const LBFGS_FIRST_STEP_RMS = 0.08;

function createOptimizer(objective: GatysObjective, content: tf.Tensor4D, styles: readonly StyleImage[], g: GatysParams, preserveColors: boolean): ImageOptimizer {
  // White noise (as in Gatys et al.) or the content: the latter converges in far fewer steps. The content starts
  // in the style's colours (see contentWithStyleColours) unless the content's own colours are to be kept.
  const init =
    g.init === 'noise' ? (tf.randomUniform(content.shape, 0, 1) as tf.Tensor4D) : preserveColors ? tf.clone(content) : contentWithStyleColours(content, styles);
  try {
    return g.optimizer === 'adam'
      ? createAdamImageOptimizer(objective.loss, init, { learningRate: ADAM_LEARNING_RATE, epsilon: 1e-8, clip: [0, 1] })
      : createLbfgsImageOptimizer(objective.loss, init, { history: 10, firstStepLength: LBFGS_FIRST_STEP_RMS * Math.sqrt(init.size) });
  } finally {
    init.dispose();
  }
}

/** Largest reduction done by the plain bilinear step of styleAtScale; larger ones are area-averaged first. */
const MAX_BILINEAR_REDUCTION = 3;

/**
 * The style image resampled so its area is the content's area × styleScale² (aspect kept).
 *
 * The last (up to 3x) reduction is a plain bilinear resize (half-pixel centres, no anti-aliasing), the same
 * resampler as the pyramid and the 256 px style metric, not the area-averaging one: area averaging smooths away
 * the brush and canvas contrast that relu1_1 Gram matrices describe. Measured on starry_night at chelsea's
 * 256 px area: the area-averaged style image is itself at metric distance 0.187 from the painting (so an output
 * matching it perfectly could not beat ~0.19), the bilinear one 0.075. Only larger reductions (a 4000 px style
 * for a 256 px result) are area-averaged first, to 3x the target, so bilinear never skips most of the pixels.
 */
function styleAtScale(style: RgbaImage, width: number, height: number, styleScale: number): tf.Tensor4D {
  const scale = (Math.sqrt((width * height) / (style.width * style.height)) * styleScale) || 1;
  const w = Math.max(16, Math.round(style.width * scale));
  const h = Math.max(16, Math.round(style.height * scale));
  if (scale >= 1) return planesToRgb(resampleToPlanes(style, w, h));
  const reduce = Math.min(1 / scale, MAX_BILINEAR_REDUCTION);
  const pre = planesToRgb(resampleToPlanes(style, Math.max(w, Math.round(w * reduce)), Math.max(h, Math.round(h * reduce))));
  try {
    return tf.tidy(() => tf.clipByValue(tf.image.resizeBilinear(pre, [h, w], false, true), 0, 1) as tf.Tensor4D);
  } finally {
    pre.dispose();
  }
}

/**
 * `content` with the colour statistics (mean and 3x3 covariance of RGB) of the style images blended by weight:
 * x' = A(x − μc) + μs with A = Ls·Lc⁻¹ (Cholesky factors of the covariances), so cov(x') = cov(style). This is
 * the colour-histogram matching of Gatys et al. 2017 ("Controlling perceptual factors"), used here as the
 * starting image: the style's palette is reached at once and the steps go into strokes. Measured at 256 px on
 * chelsea/starry_night: the metric ratio of the start falls from 1.05 (the content) to 0.56, and L-BFGS reaches
 * 0.26 in 10 steps instead of 0.39 (content distance of the start 0.57, well under the bar).
 */
export function contentWithStyleColours(content: tf.Tensor4D, styles: readonly StyleImage[]): tf.Tensor4D {
  const moments = (x: tf.Tensor4D) => {
    const [mean, second] = tf.tidy(() => {
      const flat = tf.reshape(x, [-1, 3]) as tf.Tensor2D;
      return [tf.mean(flat, 0), tf.div(tf.matMul(flat, flat, true, false), flat.shape[0])];
    });
    const mu = Array.from(mean.dataSync() as Float32Array);
    const m2 = Array.from(second.dataSync() as Float32Array);
    tf.dispose([mean, second]);
    return { mu, m2 };
  };
  const total = styles.reduce((sum, s) => sum + s.weight, 0);
  // The weighted mixture of the styles' pixels: blend first and second moments, then centre.
  const muS = [0, 0, 0];
  const m2S = new Array<number>(9).fill(0);
  for (const s of styles) {
    const { mu, m2 } = moments(s.rgb);
    for (let i = 0; i < 3; i++) muS[i] += (mu[i] * s.weight) / total;
    for (let i = 0; i < 9; i++) m2S[i] += (m2[i] * s.weight) / total;
  }
  const c = moments(content);
  const covariance = (mu: number[], m2: number[]) => [0, 1, 2].map((i) => [0, 1, 2].map((j) => m2[i * 3 + j] - mu[i] * mu[j] + (i === j ? 1e-5 : 0)));
  const ls = cholesky3(covariance(muS, m2S));
  const lcInverse = invertLower3(cholesky3(covariance(c.mu, c.m2)));
  const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => ls[i][0] * lcInverse[0][j] + ls[i][1] * lcInverse[1][j] + ls[i][2] * lcInverse[2][j]));
  return tf.tidy(() => {
    const centred = tf.sub(tf.reshape(content, [-1, 3]), tf.tensor1d(c.mu));
    const mapped = tf.add(tf.matMul(centred, tf.tensor2d(a), false, true), tf.tensor1d(muS));
    return tf.clipByValue(tf.reshape(mapped, content.shape), 0, 1) as tf.Tensor4D;
  });
}

function cholesky3(m: number[][]): number[][] {
  const l = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(sum, 1e-8)) : sum / l[j][j];
    }
  }
  return l;
}

function invertLower3(l: number[][]): number[][] {
  const inv = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let col = 0; col < 3; col++) {
    for (let i = 0; i < 3; i++) {
      let sum = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= l[i][k] * inv[k][col];
      inv[i][col] = sum / l[i][i];
    }
  }
  return inv;
}

function planesToRgb(planes: RgbAlphaPlanes): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(planes.rgb), [1, planes.height, planes.width, 3]), 255) as tf.Tensor4D);
}

/** RGB (clipped to 0..1; with `keepColorsOf`, its chroma) joined with the planes' alpha bytes. */
async function toRgba(rgb: tf.Tensor4D, planes: RgbAlphaPlanes, keepColorsOf: tf.Tensor4D | null): Promise<RgbaImage> {
  const out = tf.tidy(() => tf.clipByValue(keepColorsOf ? keepContentChroma(rgb, keepColorsOf) : rgb, 0, 1));
  try {
    return packRgba(await out.data(), planes.alpha, planes.width, planes.height);
  } finally {
    out.dispose();
  }
}
