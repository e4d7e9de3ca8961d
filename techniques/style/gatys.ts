// The Gatys path (Gatys, Ecker & Bethge 2015; CS231n lecture 12): optimize the image itself so that its VGG19
// features keep the content's layout and its Gram matrices match the style's, at several pyramid scales.
//
//   source -> working size (params.size) -> stages coarse to fine (optimize/stages.ts): at each, the content and
//   the style at that size -> objective (targets computed once, tile by tile) -> L-BFGS or Adam on the shared loop
//   (previews, cancel, stop and keep, early stop) from the content in the style's colours (first stage) or the
//   coarser result enlarged -> best image (lowest loss) -> optional colour preservation -> the source's alpha.
//
// Memory: the objective's gradient is computed on tiles (gatys-objective.ts), so a job's peak is one tile's VGG
// activations plus a few image-sized arrays, whatever the size: the job works at the size asked for (fitToMemory
// only bites far beyond 4096 px).
import * as tf from '@tensorflow/tfjs';
import type { GatysParams, StyleParams } from './spec';
import { PasticheError, throwIfAborted } from '../errors';
import { assertNotEmpty, packRgba, type RgbaImage } from '../image';
import { withFacts, type JobContext, type JobImages, type Technique, type TechniqueResult } from '../job';
import { JOB_MEMORY_BUDGET, fitToMemory, tileSideFor } from '../memory';
import { useFastGradients, withKernelCache } from '../optimize/fast-gradients';
import { createFlatAdamOptimizer, createFlatLbfgsOptimizer, type ImageOptimizer } from '../optimize/image-optimizer';
import type { ValueAndGradient } from '../optimize/lbfgs';
import { type OptimizationOutcome, runFlatOptimizationLoop } from '../optimize/optimization-loop';
import { seededRandom } from '../random';
import type { RgbFloatImage } from '../texture/pixels';
import { keepContentChroma } from './color';
import { resampleAlpha, resampleToPlanes, sizeForLongestSide } from './fast-resample';
import { type GatysObjective, createGatysObjective } from './gatys-objective';
import { type StagePlanOptions, planStages as planGatysStages } from '../optimize/stages';
import { startFromCoarser, startImage } from './gatys-start';
import type { WeightedStyle } from './gatys-targets';
import { resizeBilinear, usablePyramidLevels } from './pyramid';
import { type ResolvedStyle, resolveStyleImages } from './resolve-styles';
import type { Vgg19 } from '../../models/networks/vgg19';

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
 * Largest owned tile side of the objective's gradient. One tile's backward pass holds VGG19 blocks 1-3's activations
 * and their gradients, ~8 KB a pixel of the tile's input (owned side + 2 x 16 px margins). Measured peaks of whole
 * jobs (bench, tfjs-wasm in Chromium, peak tensor bytes): 648 MB at 512 px (2 x 2 tiles of 272 px inputs), 725 MB
 * at 1024 px (4 x 4 tiles, up to 288 px), against 2.3 GB at 512 px untiled before (one pyramid level; 1.9 GB for
 * a 60-step default job). Smaller tiles cost time: the margins are computed twice, and every level of several tiles
 * needs a second (forward) pass.
 */
export const GATYS_TILE_SIDE = 256;
/** Peak tensor bytes that do not grow with the image: one tile's gradient (above, ~700 MB at 1024 px). */
export const GATYS_TILE_BYTES = 750 * 2 ** 20;
/**
 * Peak tensor bytes per working pixel beyond the tile: the loop's image tensors (kept and current, 12 B each) while
 * optimizing; at the end, with no tile alive, the colour preservation's tensors (~100 B). The rest lives in plain
 * arrays outside the backend's heap: the content's relu3_2 target (64 B), the image, its gradient and pyramid
 * (~50 B), L-BFGS's history (at most LBFGS_HISTORY_BYTES). So even 4096 x 4096 works at its own size.
 */
export const GATYS_BYTES_PER_PIXEL = 120;
/**
 * L-BFGS's first trial step, as a root-mean-square change per pixel value (0..1 scale). Its default (Euclidean
 * length 1, i.e. 0.003 per value at 256 px) made the first line search double its step 5 times: 6 function
 * evaluations, ~16 s at 256 px. 0.08 is accepted after 1 to 3 evaluations.
 */
export const LBFGS_FIRST_STEP_RMS = 0.08;
/**
 * The same for a finer stage, which starts from an already stylized image: a small first step. Measured at 512 px
 * (after a 256 px stage): every step of the stage then took one evaluation, the first two.
 */
export const REFINE_FIRST_STEP_RMS = 0.02;
/** JavaScript memory for L-BFGS's history (pairs of image-sized vectors): 10 pairs up to ~2300 px, fewer beyond. */
const LBFGS_HISTORY_BYTES = 512 * 2 ** 20;
/**
 * Coarse to fine (issue #13 point 5), measured on chelsea/starry_night (Gram ratio: the style tests' metric at
 * 256 px; tfjs-wasm in Node, 2 cores shared with other jobs):
 * - a first stage at 256 px: L-BFGS from the content in the style's colours reaches ratio 0.21 in 2 steps, 0.14 in
 *   6, 0.13 in 20 and 0.128 after 60 (1.4-2 s a step): the loss flattens long before the default 60 steps. A 128 px
 *   stage first did not help a 256 px result: its ratio stalled at 0.49 (the metric sees the missing fine strokes)
 *   and the 256 px stage then needed as many steps as from the start. So the first stage is at most 256 px;
 * - a 512 px result: the 256 px stage enlarged is at ratio 0.185 (0.22 after its 3rd step); 12 steps at 512 px
 *   (one evaluation each, 7-13 s, from startFromCoarser) bring it to 0.064, 119 s for the whole job. Before issue
 *   #13 the job ran 60 steps at 512 px from the start (bench: 11.4 s a step, ratio 0.092, 1.9 GB).
 * So the first stage gets the steps asked for, each finer one a quarter of the previous (at least 5), and every
 * stage stops early when its loss flattens (GATYS_EARLY_STOP).
 */
export const GATYS_STAGES: StagePlanOptions = { coarsestSide: 256, refineFraction: 0.25, minRefineSteps: 5 };
/**
 * Stop a stage when its best loss improved by less than 3% over the last 5 steps: measured at 256 px, the loss
 * then falls ~0.5% a step and the ratio by ~0.001 (step 29: 0.130, step 60: 0.128).
 */
export const GATYS_EARLY_STOP = { patience: 5, minRelativeImprovement: 0.03 } as const;
/** Seeds the noise start (init = noise): the same parameters give the same result. */
const NOISE_SEED = 1;

export const gatysStyleTransfer: Technique<StyleParams> = (images, params, context) =>
  runGatys(images, params, context, { tileSide: tileSideFor(GATYS_TILE_SIDE, context.tileScale) });

/** What a test or a measurement may change; the job uses the defaults. */
export interface GatysRunOptions {
  tileSide?: number;
  stages?: StagePlanOptions;
  /** null: every planned step runs. */
  earlyStop?: { patience: number; minRelativeImprovement: number } | null;
}

/**
 * The job. Gradients through VGG19 use the rewritten input gradients of optimize/fast-gradients.ts (convolutions as
 * forward convolutions, saved tensors shared rather than copied on WASM) with the flipped kernels kept for the
 * job's duration (withKernelCache): without the cache every evaluation flips every kernel again and XNNPACK
 * repacks it.
 */
export async function runGatys(images: JobImages, params: StyleParams, context: JobContext, options: GatysRunOptions = {}): Promise<TechniqueResult> {
  assertNotEmpty(images.source, 'The image');
  const resolved = await resolveStyleImages(params, images, context.assets);
  throwIfAborted(context.signal);
  const vgg = await context.networks.get('vgg19');
  useFastGradients();
  throwIfAborted(context.signal);
  return withKernelCache(() => optimizeInStages(vgg, images.source, resolved, params, context, options));
}

async function optimizeInStages(vgg: Vgg19, source: RgbaImage, resolved: readonly ResolvedStyle[], params: StyleParams, context: JobContext, options: GatysRunOptions): Promise<TechniqueResult> {
  const g = params.gatys;

  const wanted = sizeForLongestSide(source.width, source.height, params.size);
  const size = gatysWorkingSize(wanted);
  if (Math.min(size.width, size.height) < 4) {
    throw new PasticheError('bad-input', `The image is too small for the detailed method (${size.width}x${size.height} px; it needs at least 4 px a side).`);
  }
  const stages = planGatysStages(size.width, size.height, g.steps, options.stages ?? GATYS_STAGES);
  const costs = stages.map((s) => s.steps * s.width * s.height);
  const totalCost = costs.reduce((a, b) => a + b, 0);
  const output = { ...wanted, alpha: resampleAlpha(source, wanted.width, wanted.height) };
  const earlyStop = options.earlyStop === null ? undefined : (options.earlyStop ?? GATYS_EARLY_STOP);

  context.onProgress({ fraction: 0, message: 'reading the style' });
  let x: Float32Array | null = null;
  let current = stages[0];
  let stepsRun = 0;
  let done = 0;
  let ended: OptimizationOutcome['ended'] = 'steps';
  for (const [k, stage] of stages.entries()) {
    throwIfAborted(context.signal);
    if (k > 0) context.onProgress({ fraction: done / totalCost, message: `stage ${k + 1} of ${stages.length} · reading the style` });
    const content = contentAt(source, stage);
    const styles: WeightedStyle[] = resolved.map((s) => ({ image: styleAtScale(s.image, stage.width, stage.height, params.styleScale), weight: s.weight }));
    x = x === null ? startImage(g.init, content, styles, params.preserveColors, seededRandom(NOISE_SEED)) : startFromCoarser(x, current, content);
    current = stage;
    const objective = await createGatysObjective(vgg, content, styles, {
      contentWeight: g.contentWeight,
      styleWeight: g.styleWeight * STYLE_WEIGHT_UNIT,
      tvWeight: g.tvWeight * TV_WEIGHT_UNIT,
      levels: usablePyramidLevels(stage.height, stage.width, g.pyramidLevels),
      tileSide: options.tileSide ?? GATYS_TILE_SIDE,
    });
    const from = done / totalCost;
    done += costs[k];
    try {
      const optimizer = createOptimizer(objective, x, g, k === 0 ? LBFGS_FIRST_STEP_RMS : REFINE_FIRST_STEP_RMS);
      const outcome = await runFlatOptimizationLoop(optimizer, context, {
        steps: stage.steps,
        previewEvery: g.previewEvery,
        toPreview: async (image) => toRgba(image, stage, output, null),
        progressRange: [from, done / totalCost],
        describeStep: stages.length > 1 ? (step, steps) => `stage ${k + 1} of ${stages.length} · step ${step} of ${steps}` : undefined,
        earlyStop,
      });
      x = outcome.image;
      stepsRun += outcome.stepsRun;
      ended = outcome.ended;
    } finally {
      objective.dispose();
    }
    if (ended === 'finished-early') break;
  }

  const keepColoursOf = params.preserveColors ? contentAt(source, wanted).rgb : null;
  const result = await toRgba(x!, current, output, keepColoursOf);
  const madeAt = Math.max(current.width, current.height);
  return withFacts(result, madeAt < Math.max(wanted.width, wanted.height) ? { stepsRun, detail: `made at ${madeAt} px` } : { stepsRun });
}

/** The size the job works at: the size asked for, unless its image-sized tensors would not fit the budget beside a tile. */
export function gatysWorkingSize(wanted: { width: number; height: number }): { width: number; height: number } {
  return fitToMemory(wanted, GATYS_BYTES_PER_PIXEL, JOB_MEMORY_BUDGET - GATYS_TILE_BYTES);
}

function createOptimizer(objective: GatysObjective, x: Float32Array, g: GatysParams, firstStepRms: number): ImageOptimizer<Float32Array> {
  const f: ValueAndGradient = objective.evaluate;
  if (g.optimizer === 'adam') return createFlatAdamOptimizer(f, x, { learningRate: ADAM_LEARNING_RATE, epsilon: 1e-8, clip: [0, 1] });
  const history = Math.max(1, Math.min(10, Math.floor(LBFGS_HISTORY_BYTES / (8 * x.length))));
  return createFlatLbfgsOptimizer(f, x, { history, firstStepLength: firstStepRms * Math.sqrt(x.length) });
}

/** The source's colours at a stage's size (alpha dropped: it is put back on the result), 0..1. */
function contentAt(source: RgbaImage, size: { width: number; height: number }): RgbFloatImage {
  const planes = resampleToPlanes(source, size.width, size.height);
  const rgb = new Float32Array(planes.rgb.length);
  for (let i = 0; i < rgb.length; i++) rgb[i] = planes.rgb[i] / 255;
  return { width: size.width, height: size.height, rgb };
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
function styleAtScale(style: RgbaImage, width: number, height: number, styleScale: number): RgbFloatImage {
  const scale = (Math.sqrt((width * height) / (style.width * style.height)) * styleScale) || 1;
  const w = Math.max(16, Math.round(style.width * scale));
  const h = Math.max(16, Math.round(style.height * scale));
  if (scale >= 1) return contentAt(style, { width: w, height: h });
  const reduce = Math.min(1 / scale, MAX_BILINEAR_REDUCTION);
  const pre = contentAt(style, { width: Math.max(w, Math.round(w * reduce)), height: Math.max(h, Math.round(h * reduce)) });
  const rgb = resizeBilinear(pre.rgb, pre.width, pre.height, w, h);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.min(1, Math.max(0, rgb[i]));
  return { width: w, height: h, rgb };
}

/**
 * The image of a stage as the output: enlarged to the output's size when the stage is smaller (a preview, or a
 * "stop and keep" before the last stage), clipped to 0..1, with the content's chroma when colours are kept, and
 * the source's alpha.
 */
async function toRgba(x: Float32Array, stage: { width: number; height: number }, output: { width: number; height: number; alpha: Uint8ClampedArray }, keepColoursOf: Float32Array | null): Promise<RgbaImage> {
  const rgb = stage.width === output.width && stage.height === output.height ? Float32Array.from(x) : resizeBilinear(x, stage.width, stage.height, output.width, output.height);
  if (keepColoursOf) {
    const kept = tf.tidy(() => keepContentChroma(tf.tensor4d(rgb, [1, output.height, output.width, 3]), tf.tensor4d(keepColoursOf, [1, output.height, output.width, 3])));
    try {
      rgb.set(await kept.data());
    } finally {
      kept.dispose();
    }
  }
  return packRgba(rgb, output.alpha, output.width, output.height);
}
