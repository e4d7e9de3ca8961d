// The neural texture method "to a fixed quality": a bundled sample extended to size × size (seamless, as texture
// fill always is) with a preview every step, each preview's Gram distance to the sample measured as it arrives,
// and the job kept ("stop and keep") once the distance is at most every `floorFactors` × the sample's halves floor.
// Reported: steps and seconds to each quality (the metric's own time and tensors excluded; the row's time is the
// first's), ms per step at the output's size, peak bytes of the job. The metric is the texture tests' (test/support/texture-quality.ts):
// mean((G_a − G_b)²) / mean(G_b²) averaged over relu1_1, relu2_1, relu3_1, each image at its own pixel scale.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import type { RgbaImage } from '../../techniques/image';
import type { JobContext } from '../../techniques/job';
import { runTechnique } from '../../techniques/run-technique';
import { toRgbFloat } from '../../techniques/texture/pixels';
import { peakBytesDuring } from './measure';
import type { CaseMeasure, CaseSpec } from './protocol';
import { type StepStamp, msPerFinalStep, stageExtras, stampOf } from './step-times';

const METRIC_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1'] as const;

type QualitySpec = Extract<CaseSpec, { kind: 'texture-quality' }>;

export async function textureQualityCase(spec: QualitySpec, contextOf: (parts?: Partial<JobContext>) => JobContext): Promise<CaseMeasure> {
  const warmUp = contextOf();
  const vgg = await warmUp.networks.get('vgg19');
  const sample = await warmUp.assets.image('textures', spec.sample);
  const params = { make: 'extend', width: spec.size, height: spec.size, seamless: true, steps: spec.maxSteps, previewEvery: 1 };
  // Networks loaded and kernels compiled by a tiny job first, as in the per-step rows.
  await runTechnique('texture', { source: sample }, { ...params, width: 32, height: 32, steps: 1, previewEvery: 0 }, warmUp);

  const target = gramsOf(vgg, imageTensor(sample));
  const floor = halvesFloor(vgg, sample);
  const thresholds = spec.floorFactors.map((factor) => factor * floor);
  /** Per threshold: when it was first reached (steps, ms without the metric's time, the distance then). */
  const reached: Array<{ steps: number; ms: number; distance: number } | undefined> = thresholds.map(() => undefined);
  const finish = new AbortController();
  const stamps: StepStamp[] = [];
  let metricMs = 0;
  let measuring = false;
  let lastDistance = NaN;
  const started = performance.now();
  const context = contextOf({
    finishEarly: finish.signal,
    onProgress: ({ message, preview }) => {
      const stamp = stampOf(message, performance.now() - metricMs);
      if (!stamp || !preview || finish.signal.aborted) return;
      stamps.push(stamp);
      const metricStarted = performance.now();
      measuring = true;
      try {
        lastDistance = distanceTo(vgg, imageTensor(preview), target);
      } finally {
        measuring = false;
        metricMs += performance.now() - metricStarted;
      }
      thresholds.forEach((threshold, i) => {
        if (!reached[i] && lastDistance <= threshold) reached[i] = { steps: stamps.length, ms: stamp.at - started, distance: lastDistance };
      });
      // Every quality reached: keep the image and end the job ("stop and keep").
      if (reached.every(Boolean)) finish.abort();
    },
  });
  const tensorsBefore = tf.memory().numTensors;
  try {
    const { peakBytes } = await peakBytesDuring(async () => void (await runTechnique('texture', { source: sample }, params, context)), { ignored: () => measuring });
    const msPerStep = msPerFinalStep(stamps);
    const perThreshold = Object.fromEntries(
      spec.floorFactors.flatMap((factor, i) => [
        [`stepsTo${factor}x`, reached[i]?.steps ?? NaN],
        [`secondsTo${factor}x`, reached[i] ? Math.round(reached[i]!.ms / 100) / 10 : NaN],
      ]),
    );
    return {
      coldMs: reached[0]?.ms ?? NaN,
      warmMs: msPerStep,
      peakBytes,
      tensorsLeftOver: tf.memory().numTensors - tensorsBefore,
      extra: {
        ...perThreshold,
        stepsRun: stamps.length,
        lastDistance: round4(lastDistance),
        halvesFloor: round4(floor),
        msPerStep: Math.round(msPerStep),
        ...stageExtras(stamps),
      },
    };
  } finally {
    tf.dispose(target);
  }
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** [1,H,W,3] in 0..1. */
function imageTensor(image: RgbaImage): tf.Tensor4D {
  return tf.tensor4d(toRgbFloat(image).rgb, [1, image.height, image.width, 3]);
}

/** Gram matrices FᵀF / N of the metric layers (disposes `image`). */
function gramsOf(vgg: Vgg19, image: tf.Tensor4D): tf.Tensor2D[] {
  const grams = tf.tidy(() => {
    const features = vgg.features(image, METRIC_LAYERS);
    return METRIC_LAYERS.map((layer) => {
      const flat = tf.reshape(features[layer], [-1, features[layer].shape[3]]) as tf.Tensor2D;
      return tf.div(tf.matMul(flat, flat, true, false), flat.shape[0]) as tf.Tensor2D;
    });
  });
  image.dispose();
  return grams;
}

/** Gram distance of `image` (disposed) to the target Gram matrices. Synchronous: it runs inside a progress call. */
function distanceTo(vgg: Vgg19, image: tf.Tensor4D, target: tf.Tensor2D[]): number {
  const grams = gramsOf(vgg, image);
  try {
    return tf.tidy(() => tf.mean(tf.stack(grams.map((g, i) => tf.div(tf.mean(tf.squaredDifference(g, target[i])), tf.mean(tf.square(target[i])))))).dataSync()[0]);
  } finally {
    tf.dispose(grams);
  }
}

/** Mean Gram distance between the sample's disjoint halves (left → right, top → bottom): "the same texture". */
function halvesFloor(vgg: Vgg19, sample: RgbaImage): number {
  const whole = imageTensor(sample);
  const w = sample.width;
  const h = sample.height;
  const hw = Math.floor(w / 2);
  const hh = Math.floor(h / 2);
  const pair = (a: number[], b: number[], size: number[]) => {
    const target = gramsOf(vgg, tf.slice(whole, b, size));
    try {
      return distanceTo(vgg, tf.slice(whole, a, size), target);
    } finally {
      tf.dispose(target);
    }
  };
  try {
    const leftRight = pair([0, 0, 0, 0], [0, 0, w - hw, 0], [1, h, hw, 3]);
    const topBottom = pair([0, 0, 0, 0], [0, h - hh, 0, 0], [1, hh, w, 3]);
    return (leftRight + topBottom) / 2;
  } finally {
    whole.dispose();
  }
}
