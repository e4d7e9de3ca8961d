// The Gatys path (Gatys, Ecker & Bethge 2015; CS231n lecture 12): optimize the image itself so that its VGG19
// features keep the content's layout and its Gram matrices match the style's, at several pyramid scales.
//
//   source -> resampled to params.size -> objective (targets computed once) -> L-BFGS or Adam for `steps`
//   iterations, previews every `previewEvery` -> best image (lowest loss) -> optional colour preservation
//   -> the (resampled) source's alpha put back.
import * as tf from '@tensorflow/tfjs';
import { getNetwork } from '../../models/registry';
import type { GatysParams, StyleParams } from '../catalog';
import { PasticheError, throwIfAborted } from '../errors';
import { createRgbaImage, type RgbaImage } from '../image';
import type { JobContext, JobImages, Technique } from '../job';
import { createAdamImageOptimizer, createLbfgsImageOptimizer, type ImageOptimizer } from '../optimize/image-optimizer';
import { useFastConvInputGradient } from '../optimize/conv-input-gradient';
import { keepContentChroma } from './color';
import { resampleToPlanes, sizeForLongestSide, type RgbAlphaPlanes } from './fast-resample';
import { createGatysObjective, type GatysObjective, type StyleImage } from './gatys-objective';
import { usablePyramidLevels } from './pyramid';
import { resolveStyleImages } from './resolve-styles';

/**
 * The losses are normalized (each term ~1 when "completely wrong"), while the catalog's weights follow the
 * classic unnormalized scale (style 1e3 × content, TV 1e-3). These factors map the defaults onto a balance that
 * was tuned by eye and by the style metric on chelsea/starry_night (see test/unit/style-gatys.test.ts).
 */
export const STYLE_WEIGHT_UNIT = 1e-1;
export const TV_WEIGHT_UNIT = 1e4;
/** Adam's step on the 0..1 pixel scale. */
export const ADAM_LEARNING_RATE = 0.02;

export const gatysStyleTransfer: Technique<StyleParams> = async (images: JobImages, params: StyleParams, context: JobContext): Promise<RgbaImage> => {
  const { source } = images;
  if (!(source.width >= 1 && source.height >= 1)) throw new PasticheError('bad-input', 'The image is empty (0 px).');
  const g = params.gatys;
  if (!(Number.isInteger(g.steps) && g.steps >= 1)) throw new PasticheError('bad-params', `Steps must be a whole number of at least 1 (got ${g.steps}).`);
  const styles = await resolveStyleImages(params, images, context.assets);
  throwIfAborted(context.signal);
  const vgg = await getNetwork('vgg19');
  useFastConvInputGradient();
  throwIfAborted(context.signal);

  const size = sizeForLongestSide(source.width, source.height, params.size);
  const planes = resampleToPlanes(source, size.width, size.height);
  const content = planesToRgb(planes);
  const styleImages: StyleImage[] = styles.map((s) => ({ rgb: styleAtScale(s.image, size.width, size.height, params.styleScale), weight: s.weight }));
  let objective: GatysObjective | null = null;
  let optimizer: ImageOptimizer | null = null;
  let best: tf.Tensor4D | null = null;
  try {
    context.onProgress({ fraction: 0, message: 'reading the style' });
    objective = createGatysObjective(vgg, content, styleImages, {
      contentWeight: g.contentWeight,
      styleWeight: g.styleWeight * STYLE_WEIGHT_UNIT,
      tvWeight: g.tvWeight * TV_WEIGHT_UNIT,
      levels: usablePyramidLevels(size.height, size.width, g.pyramidLevels),
    });
    optimizer = createOptimizer(objective, content, g);

    let bestLoss = Infinity;
    for (let step = 1; step <= g.steps; step++) {
      throwIfAborted(context.signal);
      if (context.finishEarly?.aborted) break;
      const loss = await optimizer.step();
      if (loss < bestLoss) {
        bestLoss = loss;
        best?.dispose();
        best = tf.clone(optimizer.evaluated());
      }
      const preview = g.previewEvery > 0 && (step % g.previewEvery === 0 || step === g.steps) ? await toRgba(optimizer.evaluated(), planes, null) : undefined;
      context.onProgress({ fraction: step / g.steps, message: `step ${step} of ${g.steps}`, preview });
      if (optimizer.done) break;
    }
    throwIfAborted(context.signal);
    return await toRgba(best ?? content, planes, params.preserveColors ? content : null);
  } finally {
    best?.dispose();
    optimizer?.dispose();
    objective?.dispose();
    tf.dispose([content, ...styleImages.map((s) => s.rgb)]);
  }
};

function createOptimizer(objective: GatysObjective, content: tf.Tensor4D, g: GatysParams): ImageOptimizer {
  // White noise (as in Gatys et al.) or the content: the latter converges in far fewer steps.
  const init = g.init === 'noise' ? tf.randomUniform(content.shape, 0, 1) as tf.Tensor4D : tf.clone(content);
  try {
    return g.optimizer === 'adam'
      ? createAdamImageOptimizer(objective.loss, init, { learningRate: ADAM_LEARNING_RATE, epsilon: 1e-8, clip: [0, 1] })
      : createLbfgsImageOptimizer(objective.loss, init, { history: 10 });
  } finally {
    init.dispose();
  }
}

/** The style image resampled so its area is the content's area × styleScale² (aspect kept). */
function styleAtScale(style: RgbaImage, width: number, height: number, styleScale: number): tf.Tensor4D {
  const scale = (Math.sqrt((width * height) / (style.width * style.height)) * styleScale) || 1;
  const w = Math.max(16, Math.round(style.width * scale));
  const h = Math.max(16, Math.round(style.height * scale));
  return planesToRgb(resampleToPlanes(style, w, h));
}

function planesToRgb(planes: RgbAlphaPlanes): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(planes.rgb), [1, planes.height, planes.width, 3]), 255) as tf.Tensor4D);
}

/** RGB (clipped to 0..1; with `keepColorsOf`, its chroma) joined with the planes' alpha bytes. */
async function toRgba(rgb: tf.Tensor4D, planes: RgbAlphaPlanes, keepColorsOf: tf.Tensor4D | null): Promise<RgbaImage> {
  const out = tf.tidy(() => tf.clipByValue(keepColorsOf ? keepContentChroma(rgb, keepColorsOf) : rgb, 0, 1));
  const values = await out.data();
  out.dispose();
  const data = new Uint8ClampedArray(planes.width * planes.height * 4);
  for (let p = 0; p < planes.width * planes.height; p++) {
    data[p * 4] = Math.round(values[p * 3] * 255);
    data[p * 4 + 1] = Math.round(values[p * 3 + 1] * 255);
    data[p * 4 + 2] = Math.round(values[p * 3 + 2] * 255);
    data[p * 4 + 3] = planes.alpha[p];
  }
  return createRgbaImage(planes.width, planes.height, data);
}
