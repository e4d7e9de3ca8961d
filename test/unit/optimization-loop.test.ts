// The one optimisation loop, over both image kinds: a tensor (inversion, DeepDream) and a flat array (the tiled
// Gatys and texture objectives). A small least-squares image problem with a known answer, no network.
import * as tf from '@tensorflow/tfjs';
import { createAdamImageOptimizer, createFlatAdamOptimizer, createFlatLbfgsOptimizer, createLbfgsImageOptimizer, type ImageOptimizer } from '../../techniques/optimize/image-optimizer';
import type { ValueAndGradient } from '../../techniques/optimize/lbfgs';
import { runFlatOptimizationLoop, runOptimizationLoop } from '../../techniques/optimize/optimization-loop';
import type { JobProgress } from '../../techniques/job';

const SHAPE: [number, number, number, number] = [1, 4, 5, 3];
const SIZE = 4 * 5 * 3;
/** The image every loss below is smallest at. */
const TARGET = Float32Array.from({ length: SIZE }, (_, i) => ((i * 37) % 11) / 10);

/** ½‖x − target‖², flat. */
const flatLoss: ValueAndGradient = async (x) => {
  const gradient = new Float32Array(x.length);
  let value = 0;
  for (let i = 0; i < x.length; i++) {
    gradient[i] = x[i] - TARGET[i];
    value += 0.5 * gradient[i] * gradient[i];
  }
  return { value, gradient };
};

/** The same loss as a TF.js function of an image tensor. */
const tensorLoss = (image: tf.Tensor4D) => tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(image, tf.tensor4d(TARGET, SHAPE))))) as tf.Scalar);

function context(finishEarlyAfter = Infinity) {
  const progress: JobProgress[] = [];
  const cancel = new AbortController();
  const finish = new AbortController();
  return {
    progress,
    cancel,
    context: {
      signal: cancel.signal,
      finishEarly: finish.signal,
      onProgress(p: JobProgress) {
        progress.push(p);
        if (progress.length >= finishEarlyAfter) finish.abort();
      },
    },
  };
}

const distanceToTarget = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((sum, v, i) => sum + (v - TARGET[i]) ** 2, 0));

describe.each([
  ['flat L-BFGS', () => createFlatLbfgsOptimizer(flatLoss, new Float32Array(SIZE).fill(0.5))],
  ['flat Adam', () => createFlatAdamOptimizer(flatLoss, new Float32Array(SIZE).fill(0.5), { learningRate: 0.05, clip: [0, 1] })],
])('over a flat image (%s)', (_name, create: () => ImageOptimizer<Float32Array>) => {
  test('keeps the lowest-loss image, makes no tensor, reports every step', async () => {
    const before = tf.memory().numTensors;
    const { context: ctx, progress } = context();
    const optimizer = create();
    const outcome = await runFlatOptimizationLoop(optimizer, ctx, { steps: 30, previewEvery: 10, toPreview: async () => ({ width: 1, height: 1, data: new Uint8ClampedArray(4) }) });
    optimizer.dispose();
    expect(outcome.image).toBeInstanceOf(Float32Array);
    expect(outcome.loss).toBeCloseTo((await flatLoss(outcome.image)).value, 5);
    expect(distanceToTarget(outcome.image)).toBeLessThan(distanceToTarget(new Float32Array(SIZE).fill(0.5)) / 2);
    expect(progress.length).toBe(outcome.stepsRun);
    expect(progress.filter((p) => p.preview).length).toBeGreaterThanOrEqual(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('"stop and keep" ends with the best image so far; cancel throws', async () => {
    const stopped = context(1);
    const outcome = await runFlatOptimizationLoop(create(), stopped.context, { steps: 30, previewEvery: 0 });
    expect(outcome.ended).toBe('finished-early');
    expect(outcome.stepsRun).toBe(1);
    expect(outcome.loss).toBeCloseTo((await flatLoss(outcome.image)).value, 5);

    const cancelled = context();
    cancelled.cancel.abort();
    await expect(runFlatOptimizationLoop(create(), cancelled.context, { steps: 30, previewEvery: 0 })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

/** An optimizer made from a grey start tensor, which is disposed at once (the optimizers copy it). */
function fromGrey(create: (init: tf.Tensor4D) => ImageOptimizer<tf.Tensor4D> | Promise<ImageOptimizer<tf.Tensor4D>>): () => Promise<ImageOptimizer<tf.Tensor4D>> {
  return async () => {
    const init = tf.fill(SHAPE, 0.5) as tf.Tensor4D;
    try {
      return await create(init);
    } finally {
      init.dispose();
    }
  };
}

describe.each([
  ['L-BFGS', fromGrey((init) => createLbfgsImageOptimizer(tensorLoss, init))],
  ['Adam', fromGrey((init) => createAdamImageOptimizer(tensorLoss, init, { learningRate: 0.05, clip: [0, 1] }))],
])('over a tensor image (%s)', (_name, create: () => Promise<ImageOptimizer<tf.Tensor4D>>) => {
  test('keeps the lowest-loss image and leaves no tensor behind but the one returned', async () => {
    const before = tf.memory().numTensors;
    const optimizer = await create();
    const outcome = await runOptimizationLoop(optimizer, context().context, { steps: 30, previewEvery: 0 });
    optimizer.dispose();
    const kept = outcome.image.dataSync();
    expect(outcome.loss).toBeCloseTo((await flatLoss(Float32Array.from(kept))).value, 4);
    expect(distanceToTarget(kept)).toBeLessThan(distanceToTarget(new Float32Array(SIZE).fill(0.5)) / 2);
    outcome.image.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

test('stops early when the best loss has flattened', async () => {
  // A loss with a floor: after the optimizer reaches it, nothing improves.
  const floored: ValueAndGradient = async (x) => {
    const { value, gradient } = await flatLoss(x);
    return { value: Math.max(value, 0.5), gradient };
  };
  const outcome = await runFlatOptimizationLoop(createFlatAdamOptimizer(floored, new Float32Array(SIZE), { learningRate: 0.05 }), context().context, {
    steps: 200,
    previewEvery: 0,
    earlyStop: { patience: 5, minRelativeImprovement: 0.01 },
  });
  expect(outcome.ended).toBe('flattened');
  expect(outcome.stepsRun).toBeLessThan(200);
  expect(outcome.loss).toBe(0.5);
});
