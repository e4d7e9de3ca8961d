// Feature inversion of one layer: start from seeded noise and optimise the image until its features at `layer`
// match the source's (objective.ts), with the shared loop (previews, cancel, stop-and-keep, early stop), coarse
// to fine (optimize/stages.ts):
//
//   source -> working size (params.size) -> stages coarse to fine: at each, the source resampled to the stage's
//   size -> its target features (once) -> the noise start (first stage) or the coarser result enlarged ->
//   L-BFGS (default) or Adam (invert-stage.ts) -> kept (lowest-loss) image -> clipped to 0..1, enlarged to the
//   working size when a "stop and keep" ended a coarser stage -> the resampled source's alpha put back.
import * as tf from '@tensorflow/tfjs';
import { PasticheError, throwIfAborted } from '../errors';
import { assertNotEmpty, packRgba, type RgbaImage } from '../image';
import type { JobContext } from '../job';
import { useFastGradients, withKernelCache } from '../optimize/fast-gradients';
import type { OptimizationOutcome } from '../optimize/optimization-loop';
import { planStages, type StagePlanOptions } from '../optimize/stages';
import { resampleToPlanes, sizeForLongestSide, type RgbAlphaPlanes } from '../style/fast-resample';
import type { FeatureNetwork } from './feature-network';
import { invertStage, type StageOutcome } from './invert-stage';
import { resizeTo } from './start';

export { ADAM_LEARNING_RATE } from './invert-stage';
export { noiseStart, planesToRgb } from './start';

export interface InversionParams {
  /** One of the network's offered layers (FeatureNetwork.layers). */
  layer: string;
  /** Longest side the inversion runs at (the source is resampled); 0 = the source's own size. */
  size: number;
  steps: number;
  optimizer: 'lbfgs' | 'adam';
  /**
   * λ_TV: weight of the mean squared neighbour difference (0..1 pixels), in units of the noise start's feature
   * error: the objective uses tvWeight × (relative feature error of the start). First-layer features are dominated
   * by their biases, so a grey start is already at ~0.1 there against ~0.8 at deeper layers; a fixed λ would let
   * the prior drown the data term at the first layer (measured at 64 px: the MobileNetV2 stem's error fell only
   * 290x in 150 steps with a fixed λ 0.5, 8800x in 100 with λ 0.05) while scaled it pulls the same at every layer.
   */
  tvWeight: number;
  /** Weight of the soft [0, 1] box (0 = none). */
  rangeWeight: number;
  /** Seed of the noise start: the same seed gives the same result. */
  seed: number;
  /**
   * Width of the uniform noise start around mid-grey (1 = the full 0..1 range). Default 0.2: deep layers barely
   * see pixel noise, so a full-range start keeps it (measured at 64 px, 60 L-BFGS steps: VGG19 relu3_2 PSNR 15.7 dB
   * from full-range noise, 20.6 dB from 0.2; MobileNetV2 block_5's feature error fell 7x vs 35x in 50 steps).
   */
  noise: number;
  /** Preview on the first step, then every N steps (0 = none). */
  previewEvery: number;
  /** Stop when the loss has flattened (see runOptimizationLoop); null = always run every step. */
  earlyStop: { patience: number; minRelativeImprovement: number } | null;
  /** Coarse to fine (INVERSION_STAGES); null = every step at `size` (the job before issue #13). */
  stages: StagePlanOptions | null;
}

/**
 * Coarse to fine (issue #13 point 5): the first stage at most 128 px with the steps asked for, each finer stage a
 * quarter of the previous one's (at least 25), each with its own early stop. Measured on chelsea at 256 px (the
 * default 100 steps; tfjs-wasm in Node; PSNR against the source at 256 px), one stage of 100 steps at 256 px vs
 * 100 at 128 px + 25 at 256 px, i.e. 53% of the steps x pixels (2.39 vs 4.53 Mpx through the network):
 * - deeper layers gain, the coarse stage finds the layout the full size gets lost on: VGG19 relu3_2 23.58 -> 26.67
 *   dB, MobileNetV2 block_2 17.14 -> 18.44, block_5 15.33 -> 15.63, Darknet conv4 20.62 -> 24.06, conv6 17.97 ->
 *   20.19 (the feature error at 256 px falls less, relu3_2 157x -> 90x: a different, closer-looking image);
 * - shallow layers keep their pixels almost exactly either way and lose a little of the finest octave: VGG19
 *   relu2_2 41.53 -> 41.43 dB, Darknet conv2 37.47 -> 36.83, conv1 49.85 -> 48.72, MobileNetV2 stem 46.10 -> 43.96
 *   (RMS error 1.3 -> 1.6 levels of 255). 50 steps at 256 px bring stem and conv2 within 0.5 dB (45.67, 36.99)
 *   for 75% of the cost instead of 53%: not worth it at that level;
 * - a first stage at 64 px loses: 100 at 64 + 25 at 128 + 10 at 256 px gave relu2_2 38.71 dB, and a 128 px job
 *   from 64 px (100 + 25) 39.66 against 41.45 in one stage. So no stage is under 128 px: a 128 px job (the
 *   default size) is one stage, as before;
 * - at 512 px (100 at 128 + 25 at 256 + 25 at 512 px, 41% of the steps x pixels) VGG19 relu2_2 reaches 43.95 dB
 *   against 35.68 dB for 100 steps at 512 px, which are far from converged there (398 s against 1167 s).
 * Wall time follows the pixels less closely: a 128 px step costs 0.14-0.31 of a 256 px one (fixed costs per step;
 * MobileNetV2's the most). The whole default 256 px job, one stage then staged, back to back in one process (2
 * shared cores, noisy): VGG19 relu2_2 63.6 -> 34.5 s, relu3_2 185.6 -> 63.2 s, MobileNetV2 block_5 14.9 -> 6.2 s.
 */
export const INVERSION_STAGES: StagePlanOptions = { coarsestSide: 128, refineFraction: 0.25, minRefineSteps: 25 };

export const DEFAULT_INVERSION: Omit<InversionParams, 'layer'> = {
  size: 128,
  steps: 100,
  optimizer: 'lbfgs',
  tvWeight: 0.5,
  rangeWeight: 1,
  seed: 1,
  noise: 0.2,
  previewEvery: 10,
  earlyStop: { patience: 10, minRelativeImprovement: 1e-3 },
  stages: INVERSION_STAGES,
};

/** L-BFGS's first trial step as a root-mean-square change per pixel value (as in the Gatys path). */
export const LBFGS_FIRST_STEP_RMS = 0.05;
/**
 * The same for a finer stage, which starts from the coarser result enlarged: a smaller first step. Measured at
 * 256 px: 0.05 there gave the same PSNR (MobileNetV2 block_2 18.44 dB, Darknet conv2 36.85 against 36.83) for one
 * more 256 px evaluation (the first line search shortened its step once).
 */
export const REFINE_FIRST_STEP_RMS = 0.02;

export interface InversionResult {
  image: RgbaImage;
  layer: string;
  /** Steps run, every stage together. */
  stepsRun: number;
  ended: OptimizationOutcome['ended'];
  /** The weighted loss of the kept image (at the size of the last stage run). */
  loss: number;
  /**
   * Relative feature error ‖φ(x) − φ(x0)‖² / ‖φ(x0)‖² of the seeded noise and of the result, both at the size of
   * the last stage run (the working size unless "stop and keep" ended a coarser stage).
   */
  startFeatureLoss: number;
  featureLoss: number;
  /** The stages run, coarse first: their size and steps (what a step cost is, in pixels). */
  stages: { width: number; height: number; stepsRun: number }[];
}

/** Where this inversion sits in a larger job's progress bar (a sweep runs several). */
export interface InversionPlacement {
  progressRange?: readonly [number, number];
  /** Words before the step in the progress bar, e.g. "relu2_2 (1 of 4)". */
  label?: string;
}

export async function invertFeatures(
  network: FeatureNetwork,
  source: RgbaImage,
  params: Partial<InversionParams> & Pick<InversionParams, 'layer'>,
  context: JobContext,
  placement: InversionPlacement = {},
): Promise<InversionResult> {
  const p: InversionParams = { ...DEFAULT_INVERSION, ...params };
  validate(network, source, p);
  throwIfAborted(context.signal);
  useFastGradients(); // the conv input gradient among them
  // The flipped kernels of the backward pass kept for the job (as the Gatys path does): fresh kernels are repacked
  // by XNNPACK on every evaluation.
  return withKernelCache(() => invertInStages(network, source, p, context, placement));
}

async function invertInStages(network: FeatureNetwork, source: RgbaImage, p: InversionParams, context: JobContext, placement: InversionPlacement): Promise<InversionResult> {
  const working = sizeForLongestSide(source.width, source.height, p.size);
  const planes = resampleToPlanes(source, working.width, working.height);
  const stages = p.stages ? planStages(working.width, working.height, p.steps, p.stages) : [{ ...working, steps: p.steps }];
  const costs = stages.map((s) => s.steps * s.width * s.height);
  const totalCost = costs.reduce((a, b) => a + b, 0);
  const [from, to] = placement.progressRange ?? [0, 1];
  const toImage = (image: tf.Tensor4D) => toRgba(image, planes);

  let x: tf.Tensor4D | null = null;
  let last: StageOutcome | null = null;
  const run: InversionResult['stages'] = [];
  let done = 0;
  try {
    for (const [k, stage] of stages.entries()) {
      throwIfAborted(context.signal);
      const start: tf.Tensor4D | null = x === null ? null : resizeTo(x, stage);
      x?.dispose();
      x = null;
      const words = [placement.label, stages.length > 1 ? `stage ${k + 1} of ${stages.length}` : ''].filter(Boolean).join(' · ');
      const begin = done / totalCost;
      done += costs[k];
      try {
        last = await invertStage(network, source, stage, p, start, context, {
          steps: stage.steps,
          firstStepRms: k === 0 ? LBFGS_FIRST_STEP_RMS : REFINE_FIRST_STEP_RMS,
          progressRange: [from + (to - from) * begin, from + ((to - from) * done) / totalCost],
          describeStep: (step, steps) => (words ? `${words} · ` : '') + `step ${step} of ${steps}`,
          toPreview: k === stages.length - 1 ? toImage : (image) => withTensor(resizeTo(image, working), toImage),
        });
      } finally {
        start?.dispose();
      }
      x = last.image;
      run.push({ width: stage.width, height: stage.height, stepsRun: last.stepsRun });
      if (last.ended === 'finished-early') break;
    }
    const image = await withTensor(resizeTo(x!, working), toImage);
    return {
      image,
      layer: p.layer,
      stepsRun: run.reduce((sum, s) => sum + s.stepsRun, 0),
      ended: last!.ended,
      loss: last!.loss,
      startFeatureLoss: last!.startFeatureLoss,
      featureLoss: last!.featureLoss,
      stages: run,
    };
  } finally {
    x?.dispose();
  }
}

async function withTensor<T>(t: tf.Tensor4D, use: (t: tf.Tensor4D) => Promise<T>): Promise<T> {
  try {
    return await use(t);
  } finally {
    t.dispose();
  }
}

function validate(network: FeatureNetwork, source: RgbaImage, p: InversionParams): void {
  assertNotEmpty(source, 'The image');
  if (!network.layers.includes(p.layer)) throw new PasticheError('bad-params', `${network.name} offers no layer "${p.layer}" (${network.layers.join(', ')}).`);
  if (!(Number.isInteger(p.steps) && p.steps >= 1)) throw new PasticheError('bad-params', `Steps must be a whole number of at least 1 (got ${p.steps}).`);
  if (!(Number.isInteger(p.size) && p.size >= 0)) throw new PasticheError('bad-params', `Size must be a whole number of pixels (got ${p.size}).`);
  const side = Math.min(...Object.values(sizeForLongestSide(source.width, source.height, p.size)));
  if (side < 16) throw new PasticheError('bad-params', `The image is too small to invert (${side} px on its short side; at least 16).`);
  if (!(p.tvWeight >= 0 && p.rangeWeight >= 0)) throw new PasticheError('bad-params', 'Regulariser weights must be 0 or more.');
  if (!(p.noise >= 0 && p.noise <= 1)) throw new PasticheError('bad-params', `The noise start's width must be within 0..1 (got ${p.noise}).`);
  if (p.optimizer !== 'lbfgs' && p.optimizer !== 'adam') throw new PasticheError('bad-params', `Unknown optimizer "${p.optimizer}".`);
}

/** RGB (clipped to 0..1) joined with the planes' alpha bytes. */
async function toRgba(rgb: tf.Tensor4D, planes: RgbAlphaPlanes): Promise<RgbaImage> {
  const out = tf.tidy(() => tf.clipByValue(rgb, 0, 1));
  try {
    return packRgba(await out.data(), planes.alpha, planes.width, planes.height);
  } finally {
    out.dispose();
  }
}
