// The Gatys objective as one differentiable function of the image: content loss at one VGG19 layer, style loss
// on Gram matrices at several layers and at every pyramid level, and total variation. All targets (content
// features, blended style Grams per level and layer) are computed once here and reused at every step.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19, Vgg19Layer } from '../../models/networks/vgg19';
import { gramMatrix } from './gram';
import { type LossTarget, disposeTarget, makeTarget, relativeSquaredError, styleLoss, totalVariation } from './losses';
import { imagePyramid } from './pyramid';

/** relu3_2: deep enough to hold the objects' layout yet loose about textures; the deepest choice in blocks 1-3
 *  short of relu3_4 (which starts to pin down fine detail again at this resolution less than it frees colour). */
export const DEFAULT_CONTENT_LAYER: Vgg19Layer = 'relu3_2';
/** The first ReLU of each block, as in Gatys et al. (who add conv4_1 and conv5_1, absent from blocks 1-3). */
export const DEFAULT_STYLE_LAYERS: readonly Vgg19Layer[] = ['relu1_1', 'relu2_1', 'relu3_1'];

export interface GatysObjectiveOptions {
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
  /** Pyramid levels actually used (see usablePyramidLevels). */
  levels: number;
  contentLayer?: Vgg19Layer;
  styleLayers?: readonly Vgg19Layer[];
}

export interface StyleImage {
  /** RGB [1, H, W, 3] in 0..1, already at the scale the style should be seen at. Not disposed here. */
  rgb: tf.Tensor4D;
  weight: number;
}

export interface LossParts {
  content: number;
  style: number;
  tv: number;
}

export interface GatysObjective {
  /** The weighted total loss of `x` ([1, H, W, 3], content-sized). Differentiable; caller owns the result. */
  loss(x: tf.Tensor4D): tf.Scalar;
  /** The unweighted terms, for logs and tests. */
  parts(x: tf.Tensor4D): Promise<LossParts>;
  dispose(): void;
}

export function createGatysObjective(vgg: Vgg19, content: tf.Tensor4D, styles: readonly StyleImage[], options: GatysObjectiveOptions): GatysObjective {
  const contentLayer = options.contentLayer ?? DEFAULT_CONTENT_LAYER;
  const styleLayers = options.styleLayers ?? DEFAULT_STYLE_LAYERS;
  const levels = Math.max(1, Math.floor(options.levels));
  const totalWeight = styles.reduce((sum, s) => sum + s.weight, 0);
  if (!(totalWeight > 0)) throw new Error('createGatysObjective: style weights must sum to a positive number');

  const contentTarget: LossTarget = makeTarget(tf.tidy(() => vgg.features(content, [contentLayer])[contentLayer]));
  // styleTargets[level][layer]: the weight-blended Gram of the styles at that pyramid level.
  const styleTargets: LossTarget[][] = tf.tidy(() => {
    const blended: tf.Tensor2D[][] = [];
    for (const style of styles) {
      const pyramid = imagePyramid(style.rgb, levels);
      pyramid.forEach((image, level) => {
        const features = vgg.features(image, styleLayers);
        styleLayers.forEach((layer, i) => {
          const gram = tf.mul(gramMatrix(features[layer]), style.weight / totalWeight) as tf.Tensor2D;
          blended[level] ??= [];
          blended[level][i] = blended[level][i] ? (tf.add(blended[level][i], gram) as tf.Tensor2D) : gram;
        });
      });
    }
    return blended.map((row) => row.map((gram) => tf.keep(gram)));
  }).map((row) => row.map(makeTarget));

  const terms = (x: tf.Tensor4D) => {
    const pyramid = imagePyramid(x, levels);
    const styleTerms: tf.Scalar[] = [];
    let contentTerm: tf.Scalar | undefined;
    pyramid.forEach((image, level) => {
      const names = level === 0 ? [...styleLayers, contentLayer] : styleLayers;
      const features = vgg.features(image, names);
      if (level === 0) contentTerm = relativeSquaredError(features[contentLayer], contentTarget.value, contentTarget.meanSquare);
      styleTerms.push(styleLoss(styleLayers.map((layer) => gramMatrix(features[layer])), styleTargets[level]));
    });
    const style = tf.div(tf.addN(styleTerms), styleTerms.length) as tf.Scalar;
    return { content: contentTerm!, style, tv: totalVariation(x) };
  };

  return {
    loss: (x) =>
      tf.tidy(() => {
        const t = terms(x);
        return tf.addN([tf.mul(t.content, options.contentWeight), tf.mul(t.style, options.styleWeight), tf.mul(t.tv, options.tvWeight)]) as tf.Scalar;
      }),
    async parts(x) {
      const stacked = tf.tidy(() => {
        const t = terms(x);
        return tf.stack([t.content, t.style, t.tv]);
      });
      const [content, style, tv] = await stacked.data();
      stacked.dispose();
      return { content, style, tv };
    },
    dispose() {
      disposeTarget(contentTarget);
      styleTargets.flat().forEach(disposeTarget);
    },
  };
}
