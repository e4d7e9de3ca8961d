// One stage of a feature inversion: at one size, match the features of the source resampled to that size (a
// network's features are not scale-invariant: the 128 px image's relu2_2 is not the 256 px image's shrunk), from
// the seeded noise (first stage) or a given start (the coarser stage's result enlarged), on the shared loop.
import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import { createAdamImageOptimizer, createLbfgsImageOptimizer, type ImageOptimizer } from '../optimize/image-optimizer';
import { runOptimizationLoop, type OptimizationOutcome } from '../optimize/optimization-loop';
import { resampleToPlanes } from '../style/fast-resample';
import type { FeatureNetwork } from './feature-network';
import { createInversionObjective, type InversionObjective } from './objective';
import { noiseStart, planesToRgb } from './start';
import type { InversionParams } from './invert';

/** Adam's step on the 0..1 pixel scale. */
export const ADAM_LEARNING_RATE = 0.02;

export interface StageLoop {
  steps: number;
  /** L-BFGS's first trial step as a root-mean-square change per pixel value. */
  firstStepRms: number;
  progressRange: readonly [number, number];
  describeStep: (step: number, steps: number) => string;
  /** A preview of this stage's image (called only when one is due). */
  toPreview: (image: tf.Tensor4D) => Promise<RgbaImage>;
}

export interface StageOutcome extends OptimizationOutcome {
  /** Relative feature error of the seeded noise at this size, and of the kept image. */
  startFeatureLoss: number;
  featureLoss: number;
}

/**
 * Runs the stage at `size`; `start` (that size, not disposed here) or the seeded noise. λ_TV is scaled by the
 * noise's feature error at this size whatever the start, so every stage weighs smoothness as a single-stage job at
 * its size would. The outcome's image is the caller's to dispose.
 */
export async function invertStage(
  network: FeatureNetwork,
  source: RgbaImage,
  size: { width: number; height: number },
  p: InversionParams,
  start: tf.Tensor4D | null,
  context: JobContext,
  loop: StageLoop,
): Promise<StageOutcome> {
  const target = planesToRgb(resampleToPlanes(source, size.width, size.height));
  let objective: InversionObjective | null = null;
  let optimizer: ImageOptimizer | null = null;
  let kept: tf.Tensor4D | null = null;
  try {
    objective = createInversionObjective(network, p.layer, target);
    const noise = noiseStart(target.shape as [number, number, number, number], p.seed, p.noise);
    let startFeatureLoss: number;
    try {
      startFeatureLoss = (await objective.parts(noise)).feature;
      const init = start ?? noise;
      const loss = objective.loss({ tvWeight: p.tvWeight * startFeatureLoss, rangeWeight: p.rangeWeight });
      optimizer =
        p.optimizer === 'adam'
          ? createAdamImageOptimizer(loss, init, { learningRate: ADAM_LEARNING_RATE, epsilon: 1e-8, clip: [0, 1] })
          : await createLbfgsImageOptimizer(loss, init, { history: 10, firstStepLength: loop.firstStepRms * Math.sqrt(init.size) });
    } finally {
      noise.dispose();
    }
    const outcome = await runOptimizationLoop(optimizer, context, {
      steps: loop.steps,
      previewEvery: p.previewEvery,
      toPreview: loop.toPreview,
      progressRange: loop.progressRange,
      describeStep: loop.describeStep,
      earlyStop: p.earlyStop ?? undefined,
    });
    kept = outcome.image;
    const featureLoss = (await objective.parts(kept)).feature;
    kept = null;
    return { ...outcome, startFeatureLoss, featureLoss };
  } finally {
    kept?.dispose();
    optimizer?.dispose();
    objective?.dispose();
    target.dispose();
  }
}
