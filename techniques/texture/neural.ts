// Neural texture synthesis (Gatys, Ecker & Bethge 2015; CS231n lecture 12): start from seeded noise in the
// sample's colours and optimize the pixels with L-BFGS until their VGG19 feature statistics (Gram matrices or
// sliced Wasserstein, see texture-objective.ts) match the sample's, at several pyramid levels.
//
//   sample -> seen at `scale` -> stages coarse to fine (each: the output size halved k times, the sample likewise)
//   -> at each stage L-BFGS on the shared loop (previews, cancel, stop-and-keep, early stop) -> upsample -> next stage
//   -> clipped, opaque RGBA.
//
// Why coarse to fine: large outputs (up to 4096 px a side) start at ≤ 256 px, where a step is cheap and the
// pyramid sees the texture's large structures; finer stages only restore detail, in fewer steps, their loss and
// gradient computed on tiles (exact for Gram, see texture-objective.ts) and the images kept as JavaScript arrays
// (the shared loop over flat arrays, optimization-loop.ts), so TF.js memory stays one tile's activations.
// `seamless` makes every stage a torus: the result tiles without a seam.
import type { Vgg19 } from '../../models/networks/vgg19';
import { PasticheError, throwIfAborted } from '../errors';
import { assertNotEmpty, createRgbaImage, type RgbaImage } from '../image';
import type { JobContext } from '../job';
import { useFastGradients } from '../optimize/fast-gradients';
import type { OptimizationOutcome } from '../optimize/optimization-loop';
import { seededRandom } from '../random';
import { createFlatLbfgsOptimizer } from '../optimize/image-optimizer';
import { runFlatOptimizationLoop } from '../optimize/optimization-loop';
import { meanColouredNoise } from './noise';
import { type RgbFloatImage, cropRgbFloat, toOpaqueRgba, toRgbFloat } from './pixels';
import { axisResample, resample, resizeRgb } from './resample';
import { DEFAULT_TILE_SIDE, type TextureLoss, createTextureObjective } from './texture-objective';

export const MAX_TEXTURE_SIDE = 4096;
/** Smallest sample side (at its scale) that still describes a texture. */
export const MIN_TEXTURE_SIDE = 16;
/** Smaller outputs are synthesized at this side, then cropped (or, seamless, shrunk on the torus). */
export const MIN_WORK_SIDE = 32;
/** Stages halve the output until its longest side is at most this. */
export const COARSEST_SIDE = 256;
/** A coarser stage is added only while both its sides and the sample's (at that stage) keep at least this. */
const MIN_STAGE_SIDE = 48;
/** The sample at `scale` is cropped (centre) to at most this side: its statistics do not need more. */
export const MAX_SAMPLE_SIDE = 2048;
/** Pyramid levels matched at each stage (fewer when the image or the sample is too small for them). */
export const DEFAULT_PYRAMID_LEVELS = 2;
/**
 * L-BFGS's first trial step, as a root-mean-square change per pixel value (see the Gatys path): from noise a
 * larger first step than the style path's 0.08 is accepted at once.
 */
export const FIRST_STEP_RMS = 0.1;
/** JS memory for L-BFGS's history (pairs of image-sized vectors): 10 pairs up to ~1600 px, fewer beyond. */
const LBFGS_HISTORY_BYTES = 512 * 2 ** 20;
/**
 * Fewest steps of a finer stage: it starts from the coarser result enlarged 2x, whose linear interpolation leaves
 * a 2-px pattern (alternate neighbour steps 0.25·Δ and 0.5·Δ) and no fine detail. Measured on gravel at 256 px:
 * after 5 steps the pattern still showed (neighbour steps alternating ±20% column by column).
 */
export const MIN_REFINE_STEPS = 10;
export const DEFAULT_EARLY_STOP = { patience: 10, minRelativeImprovement: 0.005 } as const;

export interface NeuralTextureOptions {
  width: number;
  height: number;
  /** L-BFGS steps of the coarsest stage; each finer stage gets half as many as the one before, at least
   *  MIN_REFINE_STEPS (or `steps` when fewer). A single-stage job runs exactly `steps`. */
  steps: number;
  seed: number;
  /** Periodic output: tiling it shows no seam. */
  seamless: boolean;
  /** How big the sample's features appear: 1 = its own pixels, 2 = twice as big (coarser), 0.5 = finer. */
  scale?: number;
  loss?: TextureLoss;
  /** A preview every this many steps (and on the first and last); 0 = none. */
  previewEvery?: number;
  pyramidLevels?: number;
  /** Largest owned tile side for the loss's gradient (smaller = less memory, a little more work). */
  tileSide?: number;
  /** Longest side of the first stage (see COARSEST_SIDE). */
  coarsestSide?: number;
  /** Stop a stage when its loss flattens; null = run every step. */
  earlyStop?: { patience: number; minRelativeImprovement: number } | null;
  /** Weights of the colour-histogram and pixel-scale terms (texture-objective.ts defaults when omitted). */
  histogramWeight?: number;
  fineWeight?: number;
}

export interface StageReport {
  width: number;
  height: number;
  steps: number;
  stepsRun: number;
  tiles: number;
  loss: number;
  ended: OptimizationOutcome['ended'];
}

export interface NeuralTextureResult {
  image: RgbaImage;
  /** Steps actually run, over all stages (what the result may truthfully be named after). */
  stepsRun: number;
  /** Steps planned over all stages. */
  stepsPlanned: number;
  /** How the last stage that ran ended ('finished-early': the user kept it; later stages were skipped). */
  ended: OptimizationOutcome['ended'];
  stages: StageReport[];
}

export type TextureJobContext = Pick<JobContext, 'signal' | 'onProgress' | 'finishEarly'>;

export async function synthesizeNeuralTexture(vgg: Vgg19, sample: RgbaImage, options: NeuralTextureOptions, context: TextureJobContext): Promise<NeuralTextureResult> {
  const { width, height } = options;
  validateSize(width, height);
  if (!(Number.isInteger(options.steps) && options.steps >= 1)) throw new PasticheError('bad-params', `Steps must be a whole number of at least 1 (got ${options.steps}).`);
  assertNotEmpty(sample, 'The texture sample');
  throwIfAborted(context.signal);
  useFastGradients(); // the rewritten input gradients, the SIMD 2x2 max-pool gradient among them

  const scaled = sampleAtScale(sample, options.scale ?? 1);
  const work = { width: Math.max(width, MIN_WORK_SIDE), height: Math.max(height, MIN_WORK_SIDE) };
  const stages = planStages(work.width, work.height, scaled, options.coarsestSide ?? COARSEST_SIDE);
  // Stage k counted from the coarsest: steps, steps/2, steps/4 ... but at least MIN_REFINE_STEPS (or steps).
  const stepsOf = (k: number) => Math.max(Math.min(options.steps, MIN_REFINE_STEPS), Math.ceil(options.steps / 2 ** k));
  const plannedSteps = stages.map((_, k) => stepsOf(k));
  const costs = stages.map((s, k) => plannedSteps[k] * s.width * s.height);
  const totalCost = costs.reduce((a, b) => a + b, 0);
  const random = seededRandom(options.seed);

  let x = meanColouredNoise(scaled.rgb, stages[0].width, stages[0].height, random);
  let current = stages[0];
  const reports: StageReport[] = [];
  let ended: OptimizationOutcome['ended'] = 'steps';
  let done = 0;
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    if (k > 0) {
      x = enlarge(x, current, stage, options.seamless, scaled.rgb, random);
      current = stage;
    }
    const stageSample = sampleForStage(scaled, stage.width / work.width, stage.height / work.height);
    const levels = Math.min(options.pyramidLevels ?? DEFAULT_PYRAMID_LEVELS, pyramidLevelsFor(stage), pyramidLevelsFor(stageSample));
    throwIfAborted(context.signal);
    const objective = await createTextureObjective(vgg, stageSample, {
      width: stage.width,
      height: stage.height,
      periodic: options.seamless,
      levels,
      loss: options.loss ?? 'gram',
      tileSide: options.tileSide ?? DEFAULT_TILE_SIDE,
      seed: Math.floor(random() * 2 ** 31),
      histogramWeight: options.histogramWeight,
      fineWeight: options.fineWeight,
    });
    const n = x.length;
    const from = done / totalCost;
    done += costs[k];
    try {
      const lbfgs = createFlatLbfgsOptimizer(objective.evaluate, x, { history: Math.max(1, Math.min(10, Math.floor(LBFGS_HISTORY_BYTES / (8 * n)))), firstStepLength: FIRST_STEP_RMS * Math.sqrt(n) });
      const outcome = await runFlatOptimizationLoop(lbfgs, context, {
        steps: plannedSteps[k],
        previewEvery: options.previewEvery ?? 0,
        // A copy: toOutput clips in place, and the iterate belongs to the optimizer.
        toPreview: async (image) => toOpaqueRgba(toOutput(Float32Array.from(image), stage, work, options), width, height),
        progressRange: [from, done / totalCost],
        describeStep: stages.length > 1 ? (step, steps) => `stage ${k + 1} of ${stages.length} · step ${step} of ${steps}` : undefined,
        earlyStop: options.earlyStop === null ? undefined : (options.earlyStop ?? DEFAULT_EARLY_STOP),
      });
      x = outcome.image;
      reports.push({ width: stage.width, height: stage.height, steps: plannedSteps[k], stepsRun: outcome.stepsRun, tiles: objective.tiles, loss: outcome.loss, ended: outcome.ended });
      ended = outcome.ended;
    } finally {
      objective.dispose();
    }
    if (ended === 'finished-early') break;
  }
  return {
    image: toOpaqueRgba(toOutput(x, current, work, options), width, height),
    stepsRun: reports.reduce((sum, r) => sum + r.stepsRun, 0),
    stepsPlanned: plannedSteps.reduce((a, b) => a + b, 0),
    ended,
    stages: reports,
  };
}

/** Pyramid levels an image can have: each level halves it, and none may fall below 32 px (relu3_1 would see
 *  almost no position; the Gatys path's MIN_PYRAMID_SIDE). */
function pyramidLevelsFor(image: { width: number; height: number }): number {
  let levels = 1;
  for (let side = Math.min(image.width, image.height); Math.floor(side / 2) >= 32; side = Math.floor(side / 2)) levels++;
  return levels;
}

function validateSize(width: number, height: number): void {
  for (const [name, v] of [['Width', width], ['Height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new PasticheError('bad-params', `${name} must be a whole number of at least 1 px (got ${v}).`);
    if (v > MAX_TEXTURE_SIDE) throw new PasticheError('too-large', `${name} is ${v} px; a texture can be at most ${MAX_TEXTURE_SIDE} px a side.`);
  }
}

/** The sample as the output should see it: resampled by `scale`, centre-cropped first so it stays ≤ MAX_SAMPLE_SIDE. */
export function sampleAtScale(sample: RgbaImage, scale: number): RgbFloatImage {
  if (!(scale > 0 && Number.isFinite(scale))) throw new PasticheError('bad-params', `The texture scale must be a positive number (got ${scale}).`);
  const cropWidth = Math.min(sample.width, Math.max(1, Math.floor(MAX_SAMPLE_SIDE / scale)));
  const cropHeight = Math.min(sample.height, Math.max(1, Math.floor(MAX_SAMPLE_SIDE / scale)));
  const source = toRgbFloat(centreCrop(sample, cropWidth, cropHeight));
  const w = Math.max(1, Math.round(cropWidth * scale));
  const h = Math.max(1, Math.round(cropHeight * scale));
  if (Math.min(w, h) < MIN_TEXTURE_SIDE) {
    throw new PasticheError('bad-input', `The texture sample is too small at this scale (${w}x${h} px; it needs at least ${MIN_TEXTURE_SIDE} px a side).`);
  }
  return { width: w, height: h, rgb: resizeRgb(source.rgb, source.width, source.height, w, h, false) };
}

function centreCrop(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) return image;
  const x0 = Math.floor((image.width - width) / 2);
  const y0 = Math.floor((image.height - height) / 2);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let j = 0; j < height; j++) data.set(image.data.subarray(((y0 + j) * image.width + x0) * 4, ((y0 + j) * image.width + x0 + width) * 4), j * width * 4);
  return createRgbaImage(width, height, data);
}

/** Stage sizes, coarse first: the output halved while it is larger than `coarsest` and the stage stays usable. */
export function planStages(width: number, height: number, sample: { width: number; height: number }, coarsest: number): Array<{ width: number; height: number }> {
  const stages = [{ width, height }];
  let factor = 1;
  for (;;) {
    const last = stages[stages.length - 1];
    if (Math.max(last.width, last.height) <= coarsest) break;
    const next = { width: Math.round(last.width / 2), height: Math.round(last.height / 2) };
    factor *= 2;
    if (Math.min(next.width, next.height) < MIN_STAGE_SIDE || Math.min(sample.width, sample.height) / factor < MIN_STAGE_SIDE) break;
    stages.push(next);
  }
  return stages.reverse();
}

function sampleForStage(sample: RgbFloatImage, fx: number, fy: number): RgbFloatImage {
  if (fx === 1 && fy === 1) return sample;
  const w = Math.max(MIN_TEXTURE_SIDE, Math.round(sample.width * fx));
  const h = Math.max(MIN_TEXTURE_SIDE, Math.round(sample.height * fy));
  return { width: w, height: h, rgb: resample(sample.rgb, 3, axisResample(sample.width, w, false), axisResample(sample.height, h, false)) };
}

/**
 * The coarser stage's result enlarged to the next stage, plus the fine band of fresh noise (noise minus its own
 * 2x-reduced-and-enlarged copy): the coarse stage decided the large structures; the finer one starts with detail
 * to shape instead of a blur to sharpen. Without it (measured on gravel, 128 -> 256 px): linear enlarging leaves a
 * 2-px pattern (neighbour steps alternately 0.25·Δ and 0.5·Δ), still 1.8:1 after 10 refining steps.
 */
function enlarge(x: Float32Array, from: { width: number; height: number }, to: { width: number; height: number }, periodic: boolean, sampleRgb: Float32Array, random: () => number): Float32Array {
  const up = resizeRgb(x, from.width, from.height, to.width, to.height, periodic);
  const noise = meanColouredNoise(sampleRgb, to.width, to.height, random);
  const low = resizeRgb(resizeRgb(noise, to.width, to.height, from.width, from.height, periodic), from.width, from.height, to.width, to.height, periodic);
  for (let i = 0; i < up.length; i++) up[i] += noise[i] - low[i];
  return clip01(up);
}

function clip01(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = values[i] < 0 ? 0 : values[i] > 1 ? 1 : values[i];
  return values;
}

/**
 * A stage's image as the output: enlarged to the working size when a stop-and-keep skipped the finer stages, then
 * brought to the requested size when that is below MIN_WORK_SIDE (cropped, or shrunk on the torus when seamless
 * so the result still wraps), clipped to 0..1.
 */
function toOutput(x: Float32Array, stage: { width: number; height: number }, work: { width: number; height: number }, options: NeuralTextureOptions): Float32Array {
  const full = stage.width === work.width && stage.height === work.height ? x : resizeRgb(x, stage.width, stage.height, work.width, work.height, options.seamless);
  if (work.width === options.width && work.height === options.height) return clip01(full);
  if (options.seamless) return clip01(resizeRgb(full, work.width, work.height, options.width, options.height, true));
  return clip01(cropRgbFloat({ width: work.width, height: work.height, rgb: full }, 0, 0, options.width, options.height).rgb);
}
