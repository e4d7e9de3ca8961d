// The Gatys objective as f(x) and ∇f(x) over the flat RGB vector of the image (for L-BFGS or Adam): content loss
// at relu3_2, Gram-matrix style loss at relu1_1, relu2_1, relu3_1 at every pyramid level, total variation.
//
//   loss = contentWeight · mean((F − Fc)²) / mean(Fc²)
//        + styleWeight · mean over levels and layers of mean((G − Gs)²) / mean(Gs²),   G = FᵀF / positions
//        + tvWeight · TV(x)
//
// Computed tile by tile so that memory does not grow with the image (issue #13: a 512 px job held 2.3 GB when its
// gradient's tape kept every VGG activation of the whole image). Gram matrices are sums over feature positions and
// the content term is one too, so the EXACT loss and gradient come from tiles that each own a disjoint block of the
// feature maps (optimize/feature-tiles.ts):
// - a level that fits one tile: one forward and one backward pass of the exact loss (as untiled);
// - otherwise two passes: (1) forward every tile and add up its owned FᵀF, giving G and so A = ∂L/∂G; (2) backward
//   through each tile's ½·Σ F ⊙ (F·M) with M = (2/N)·A, whose gradient w.r.t. F is exactly the full loss's
//   (2/N)·F·A, plus the tile's own share of the content term. One tile's activations are alive at a time.
// Pyramid levels are bilinear halvings (pyramid.ts) whose gradient returns through the adjoint; TV is plain loops.
// Gram sums are optimize/matrix-ops.ts's gramSum (untransposed products, hand-written gradient): written as
// matMul(F, F, true) they took half of an evaluation on WASM (measured at 256 px: 2.6 s of ~5 s; now ~1.6 s in all).
// Targets (style Grams per level, the content's relu3_2) are computed once, tile by tile too (gatys-targets.ts).
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { scatterTile, type FeatureTile } from '../optimize/feature-tiles';
import type { ValueAndGradient } from '../optimize/lbfgs';
import { gramSum, halfQuadraticForm } from '../optimize/matrix-ops';
import type { RgbFloatImage } from '../texture/pixels';
import { type ContentTarget, type GramTarget, type WeightedStyle, contentBlock, contentTarget, disposeGramTargets, styleGramTargets } from './gatys-targets';
import { CONTENT_LAYER, type GatysLayer, STYLE_LAYERS, featurePositions, ownedBlock, ownedRows, planGatysTiles, tileInput, tiledGramSums } from './gatys-tiles';
import { imagePyramid, pyramidSizes, resizeBilinearAdjoint } from './pyramid';
import { addTotalVariation } from './total-variation';

export interface GatysObjectiveOptions {
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
  /** Pyramid levels actually used (see usablePyramidLevels). */
  levels: number;
  /** Largest owned tile side; an image (level) that fits is computed in one piece. */
  tileSide: number;
}

export interface GatysObjective {
  /** f(x) and ∇f(x) for x = the image as width·height·3 floats (0..1, row-major RGB). */
  evaluate: ValueAndGradient;
  /** Tiles at full resolution (1 = untiled). */
  readonly tiles: number;
  dispose(): void;
}

/** The style term of one layer for a tile's owned feature rows: exact (one tile) or the two-pass surrogate. */
type StyleTerm = (layer: number, rows: tf.Tensor2D) => tf.Scalar;

export async function createGatysObjective(vgg: Vgg19, content: RgbFloatImage, styles: readonly WeightedStyle[], options: GatysObjectiveOptions): Promise<GatysObjective> {
  const levels = Math.max(1, Math.floor(options.levels));
  const total = styles.reduce((sum, s) => sum + s.weight, 0);
  if (!(total > 0)) throw new Error('createGatysObjective: style weights must sum to a positive number');
  const { width, height } = content;
  const sizes = pyramidSizes(width, height, levels);
  const tiles = sizes.map((s) => planGatysTiles(s.width, s.height, options.tileSide));
  const grams = await styleGramTargets(vgg, styles, levels, options.tileSide);
  let features: ContentTarget;
  try {
    features = await contentTarget(vgg, content, options.tileSide);
  } catch (error) {
    disposeGramTargets(grams);
    throw error;
  }
  // Each level's style term is averaged over levels and layers; the content term is a mean over every value.
  const styleScale = options.styleWeight / levels / STYLE_LAYERS.length;
  const contentScale = options.contentWeight / (features.features.length * features.meanSquare);

  /** A layer's term, styleScale · mean((G − T)²) / mean(T²), is this factor times Σ (G − T)² (G and T are C x C). */
  const layerScale = (target: GramTarget) => styleScale / (target.gram.shape[0] ** 2 * target.meanSquare);

  /**
   * Backpropagates one tile's style terms (and at level 0 its content term) into `gradient`; returns the value of
   * the content term plus, when `styleIsExact`, of the style terms.
   */
  const tileStep = async (image: RgbFloatImage, tile: FeatureTile, level: number, styleTerm: StyleTerm, styleIsExact: boolean, gradient: Float32Array): Promise<number> => {
    const blocks = STYLE_LAYERS.map((layer) => ownedBlock(tile, image.width, image.height, layer));
    const content = level === 0 ? ownedBlock(tile, image.width, image.height, CONTENT_LAYER) : null;
    const target = content && content.rows * content.columns > 0 ? contentBlock(features, content) : null;
    const input = tileInput(image, tile);
    const parts: tf.Scalar[] = []; // values to report, kept out of the gradient's tidy
    let grad: tf.Tensor | null = null;
    try {
      grad = tf.tidy(() =>
        tf.grad((x: tf.Tensor) => {
          const names: readonly GatysLayer[] = target ? [...STYLE_LAYERS, CONTENT_LAYER] : STYLE_LAYERS;
          const maps = vgg.features(x as tf.Tensor4D, names);
          const terms: tf.Scalar[] = [];
          STYLE_LAYERS.forEach((layer, i) => {
            if (blocks[i].rows * blocks[i].columns === 0) return;
            const term = styleTerm(i, ownedRows(maps[layer], blocks[i]));
            terms.push(term);
            if (styleIsExact) parts.push(tf.keep(term));
          });
          if (target && content) {
            const term = tf.mul(tf.sum(tf.squaredDifference(ownedRows(maps[CONTENT_LAYER], content), target)), contentScale) as tf.Scalar;
            terms.push(term);
            parts.push(tf.keep(term));
          }
          return tf.addN(terms) as tf.Scalar;
        })(input),
      );
      const [values, ...partValues] = await Promise.all([grad.data(), ...parts.map((p) => p.data())]);
      scatterTile(gradient, image.width, image.height, tile, values);
      return partValues.reduce((sum, v) => sum + v[0], 0);
    } finally {
      tf.dispose([input, ...parts]);
      grad?.dispose();
      target?.dispose();
    }
  };

  /** One pyramid level: its weighted loss and the gradient w.r.t. that level's image. */
  const evaluateLevel = async (image: RgbFloatImage, level: number): Promise<{ value: number; gradient: Float32Array }> => {
    const gradient = new Float32Array(image.rgb.length);
    const targets = grams[level];
    const levelTiles = tiles[level];
    if (levelTiles.length === 1) {
      const exact: StyleTerm = (i, rows) =>
        tf.mul(tf.sum(tf.squaredDifference(tf.div(gramSum(rows), featurePositions(image.width, image.height, STYLE_LAYERS[i])), targets[i].gram)), layerScale(targets[i])) as tf.Scalar;
      return { value: await tileStep(image, levelTiles[0], level, exact, true, gradient), gradient };
    }
    // Pass 1: the whole level's Grams, then the style value and M per layer.
    const sums = await tiledGramSums(vgg, image, levelTiles);
    let value: tf.Scalar;
    let weights: tf.Tensor2D[];
    try {
      ({ value, weights } = tf.tidy(() => {
        const values: tf.Scalar[] = [];
        const m = targets.map((target, i) => {
          const n = featurePositions(image.width, image.height, STYLE_LAYERS[i]);
          const diff = tf.sub(tf.div(sums[i], n), target.gram);
          values.push(tf.mul(tf.sum(tf.square(diff)), layerScale(target)) as tf.Scalar);
          return tf.keep(tf.mul(diff, (4 * layerScale(target)) / n) as tf.Tensor2D);
        });
        return { value: tf.keep(tf.addN(values) as tf.Scalar), weights: m };
      }));
    } finally {
      tf.dispose(sums);
    }
    try {
      // Pass 2: each tile's surrogate (gradient F·M) plus its content share.
      const surrogate: StyleTerm = (i, rows) => halfQuadraticForm(rows, weights[i]);
      let contentValue = 0;
      for (const tile of levelTiles) contentValue += await tileStep(image, tile, level, surrogate, false, gradient);
      return { value: (await value.data())[0] + contentValue, gradient };
    } finally {
      tf.dispose([value, ...weights]);
    }
  };

  const evaluate: ValueAndGradient = async (x) => {
    const pyramid = imagePyramid({ width, height, rgb: x }, levels);
    let value = 0;
    let carried: Float32Array | null = null; // the gradient so far, w.r.t. the image of the level being visited
    for (let level = levels - 1; level >= 0; level--) {
      const result = await evaluateLevel(pyramid[level], level);
      value += result.value;
      if (carried) for (let i = 0; i < carried.length; i++) result.gradient[i] += carried[i];
      carried = level > 0 ? resizeBilinearAdjoint(result.gradient, sizes[level - 1].width, sizes[level - 1].height, sizes[level].width, sizes[level].height) : result.gradient;
    }
    const gradient = carried!;
    value += addTotalVariation(x, width, height, options.tvWeight, gradient);
    return { value, gradient };
  };

  return {
    evaluate,
    tiles: tiles[0].length,
    dispose: () => disposeGramTargets(grams),
  };
}
