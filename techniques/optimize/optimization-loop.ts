// The one loop every optimisation technique runs (Gatys style, texture synthesis, DeepDream, feature inversion):
// step the optimizer, keep the best image so far, send a preview every N steps, honour cancel and "stop and keep",
// and stop early when the loss has stopped improving. What differs between techniques (the objective, the
// optimizer, how an image becomes a preview) is handed in; the bookkeeping is written once, here.
//
// The image is a tensor (runOptimizationLoop) or a flat Float32Array (runFlatOptimizationLoop, for the tiled
// objectives). Flat, the loop creates no tensor at all: keeping the best image is keeping a reference (the
// optimizers replace their arrays, never mutate them). Measured before the two loops were one: with the best and
// current images as tensors, a 4096 px texture fill's TF.js peak rose from 600-700 MB to 983 MB (192 MiB each).
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../errors';
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import type { ImageOptimizer } from './image-optimizer';

export interface OptimizationLoopOptions<Image = tf.Tensor4D> {
  steps: number;
  /** A preview on the first step, then every this many steps and on the last; 0 = none. */
  previewEvery: number;
  /** Turns the optimizer's image into a preview (only called when a preview is due). */
  toPreview?: (image: Image) => Promise<RgbaImage>;
  /** The part of the job's progress bar this loop fills, e.g. [0.2, 0.9] for the second of several levels. */
  progressRange?: readonly [number, number];
  /** The progress bar's words for a step, e.g. "step 4 of 60" (the default) or "level 2 · step 4 of 20". */
  describeStep?: (step: number, steps: number) => string;
  /**
   * Stop when the best loss improved by less than this fraction over the last `patience` steps (the loss has
   * flattened: more steps would change nothing a designer can see). Omit to always run every step.
   */
  earlyStop?: { patience: number; minRelativeImprovement: number };
  /** Keep the lowest-loss image (the default) or the last one (gradient ascent, whose loss is not comparable
   *  across jittered steps, wants the last). */
  keep?: 'best' | 'last';
}

export interface OptimizationOutcome<Image = tf.Tensor4D> {
  /** The kept image, owned by the caller (a tensor: dispose it). */
  image: Image;
  loss: number;
  /** Steps actually run: fewer than asked after "stop and keep", early stopping or convergence. */
  stepsRun: number;
  /** Why it ended: every step ran, the user asked to keep, the loss flattened, or the optimizer converged. */
  ended: 'steps' | 'finished-early' | 'flattened' | 'converged';
}

/** What the loop needs of an image kind: a copy that outlives the optimizer's step, and its release. */
interface Keeping<Image> {
  copy(image: Image): Image;
  release(image: Image): void;
}

const TENSORS: Keeping<tf.Tensor4D> = { copy: (image) => tf.clone(image), release: (image) => image.dispose() };
const FLAT_ARRAYS: Keeping<Float32Array> = { copy: (image) => image, release: () => {} };

type LoopContext = Pick<JobContext, 'signal' | 'onProgress' | 'finishEarly'>;

/** Runs `optimizer` for up to `options.steps` steps. Throws a typed "cancelled" error on cancel (nothing kept). */
export function runOptimizationLoop(optimizer: ImageOptimizer<tf.Tensor4D>, context: LoopContext, options: OptimizationLoopOptions<tf.Tensor4D>): Promise<OptimizationOutcome<tf.Tensor4D>> {
  return runLoop(optimizer, context, options, TENSORS);
}

/** The same loop over a flat image (createFlatLbfgsOptimizer, createFlatAdamOptimizer): no tensor made. */
export function runFlatOptimizationLoop(optimizer: ImageOptimizer<Float32Array>, context: LoopContext, options: OptimizationLoopOptions<Float32Array>): Promise<OptimizationOutcome<Float32Array>> {
  return runLoop(optimizer, context, options, FLAT_ARRAYS);
}

async function runLoop<Image>(optimizer: ImageOptimizer<Image>, context: LoopContext, options: OptimizationLoopOptions<Image>, keeping: Keeping<Image>): Promise<OptimizationOutcome<Image>> {
  const [from, to] = options.progressRange ?? [0, 1];
  const describe = options.describeStep ?? ((step, steps) => `step ${step} of ${steps}`);
  const keepLast = options.keep === 'last';
  let kept: Image | null = null;
  let keptLoss = Infinity;
  let stepsRun = 0;
  let ended: OptimizationOutcome['ended'] = 'steps';
  const history: number[] = [];
  try {
    for (let step = 1; step <= options.steps; step++) {
      throwIfAborted(context.signal);
      if (context.finishEarly?.aborted) {
        ended = 'finished-early';
        break;
      }
      const loss = await optimizer.step();
      stepsRun = step;
      if (keepLast || loss < keptLoss || kept === null) {
        keptLoss = loss;
        if (kept !== null) keeping.release(kept);
        kept = keeping.copy(optimizer.evaluated());
      }
      history.push(Math.min(keptLoss, history.length ? history[history.length - 1] : Infinity));
      const previewDue = options.toPreview && options.previewEvery > 0 && (step === 1 || step % options.previewEvery === 0 || step === options.steps);
      const preview = previewDue ? await options.toPreview!(optimizer.evaluated()) : undefined;
      context.onProgress({ fraction: from + ((to - from) * step) / options.steps, message: describe(step, options.steps), preview });
      if (optimizer.done) {
        ended = 'converged';
        break;
      }
      if (options.earlyStop && hasFlattened(history, options.earlyStop.patience, options.earlyStop.minRelativeImprovement)) {
        ended = 'flattened';
        break;
      }
    }
    throwIfAborted(context.signal);
    const image = kept ?? keeping.copy(optimizer.evaluated());
    kept = null;
    return { image, loss: keptLoss, stepsRun, ended };
  } finally {
    if (kept !== null) keeping.release(kept);
  }
}

/** True when the best loss of the last `patience` steps is less than `minRelative` better than before them. */
export function hasFlattened(bestSoFar: readonly number[], patience: number, minRelative: number): boolean {
  if (bestSoFar.length <= patience) return false;
  const before = bestSoFar[bestSoFar.length - 1 - patience];
  const now = bestSoFar[bestSoFar.length - 1];
  if (!Number.isFinite(before)) return false;
  return before - now < minRelative * Math.abs(before);
}
