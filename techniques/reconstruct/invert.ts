// Feature inversion of one layer: start from seeded noise and optimise the image until its features at `layer`
// match the source's (objective.ts), with the shared loop (previews, cancel, stop-and-keep, early stop).
//
//   source -> resampled to params.size -> target features (once) -> noise start -> L-BFGS (default) or Adam
//   -> kept (lowest-loss) image, clipped to 0..1 -> the resampled source's alpha put back.
import * as tf from '@tensorflow/tfjs';
import { PasticheError, throwIfAborted } from '../errors';
import { assertNotEmpty, packRgba, type RgbaImage } from '../image';
import type { JobContext } from '../job';
import { useFastConvInputGradient } from '../optimize/conv-input-gradient';
import { createAdamImageOptimizer, createLbfgsImageOptimizer, type ImageOptimizer } from '../optimize/image-optimizer';
import { runOptimizationLoop, type OptimizationOutcome } from '../optimize/optimization-loop';
import { seededRandom, tfSeed } from '../random';
import { resampleToPlanes, sizeForLongestSide, type RgbAlphaPlanes } from '../style/fast-resample';
import { useFastGradients } from '../optimize/fast-gradients';
import type { FeatureNetwork } from './feature-network';
import { createInversionObjective, type InversionObjective } from './objective';

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
}

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
};

/** L-BFGS's first trial step as a root-mean-square change per pixel value (as in the Gatys path). */
export const LBFGS_FIRST_STEP_RMS = 0.05;
/** Adam's step on the 0..1 pixel scale. */
export const ADAM_LEARNING_RATE = 0.02;

export interface InversionResult {
  image: RgbaImage;
  layer: string;
  stepsRun: number;
  ended: OptimizationOutcome['ended'];
  /** The weighted loss of the kept image. */
  loss: number;
  /** Relative feature error ‖φ(x) − φ(x0)‖² / ‖φ(x0)‖² of the noise start and of the result. */
  startFeatureLoss: number;
  featureLoss: number;
}

/** Where this inversion sits in a larger job's progress bar (a sweep runs several). */
export interface InversionPlacement {
  progressRange?: readonly [number, number];
  describeStep?: (step: number, steps: number) => string;
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
  useFastConvInputGradient();
  useFastGradients();

  const size = sizeForLongestSide(source.width, source.height, p.size);
  const planes = resampleToPlanes(source, size.width, size.height);
  const target = planesToRgb(planes);
  let objective: InversionObjective | null = null;
  let optimizer: ImageOptimizer | null = null;
  let kept: tf.Tensor4D | null = null;
  try {
    objective = createInversionObjective(network, p.layer, target);
    const init = noiseStart(target.shape as [number, number, number, number], p.seed, p.noise);
    let startFeatureLoss: number;
    try {
      startFeatureLoss = (await objective.parts(init)).feature;
      const loss = objective.loss({ tvWeight: p.tvWeight * startFeatureLoss, rangeWeight: p.rangeWeight });
      optimizer =
        p.optimizer === 'adam'
          ? createAdamImageOptimizer(loss, init, { learningRate: ADAM_LEARNING_RATE, epsilon: 1e-8, clip: [0, 1] })
          : createLbfgsImageOptimizer(loss, init, { history: 10, firstStepLength: LBFGS_FIRST_STEP_RMS * Math.sqrt(init.size) });
    } finally {
      init.dispose();
    }
    const outcome = await runOptimizationLoop(optimizer, context, {
      steps: p.steps,
      previewEvery: p.previewEvery,
      toPreview: (image) => toRgba(image, planes),
      progressRange: placement.progressRange,
      describeStep: placement.describeStep,
      earlyStop: p.earlyStop ?? undefined,
    });
    kept = outcome.image;
    const featureLoss = (await objective.parts(kept)).feature;
    return {
      image: await toRgba(kept, planes),
      layer: p.layer,
      stepsRun: outcome.stepsRun,
      ended: outcome.ended,
      loss: outcome.loss,
      startFeatureLoss,
      featureLoss,
    };
  } finally {
    kept?.dispose();
    optimizer?.dispose();
    objective?.dispose();
    target.dispose();
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

/** Seeded uniform noise in 0.5 ± amplitude/2, [1, H, W, 3]. */
export function noiseStart(shape: [number, number, number, number], seed: number, amplitude: number): tf.Tensor4D {
  const half = amplitude / 2;
  return tf.randomUniform(shape, 0.5 - half, 0.5 + half, 'float32', tfSeed(seededRandom(seed))) as tf.Tensor4D;
}

export function planesToRgb(planes: RgbAlphaPlanes): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(planes.rgb), [1, planes.height, planes.width, 3]), 255) as tf.Tensor4D);
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
