// The one loop every optimisation technique runs (Gatys style, texture synthesis, DeepDream, feature inversion):
// step the optimizer, keep the best image so far, send a preview every N steps, honour cancel and "stop and keep",
// and stop early when the loss has stopped improving. What differs between techniques (the objective, the
// optimizer, how an image becomes a preview) is handed in; the bookkeeping is written once, here.
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../errors';
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import type { ImageOptimizer } from './image-optimizer';

export interface OptimizationLoopOptions {
  steps: number;
  /** A preview on the first step, then every this many steps and on the last; 0 = none. */
  previewEvery: number;
  /** Turns the optimizer's image into a preview (only called when a preview is due). */
  toPreview?: (image: tf.Tensor4D) => Promise<RgbaImage>;
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

export interface OptimizationOutcome {
  /** The kept image, owned by the caller (dispose it). */
  image: tf.Tensor4D;
  loss: number;
  /** Steps actually run: fewer than asked after "stop and keep", early stopping or convergence. */
  stepsRun: number;
  /** Why it ended: every step ran, the user asked to keep, the loss flattened, or the optimizer converged. */
  ended: 'steps' | 'finished-early' | 'flattened' | 'converged';
}

/** Runs `optimizer` for up to `options.steps` steps. Throws a typed "cancelled" error on cancel (nothing kept). */
export async function runOptimizationLoop(optimizer: ImageOptimizer, context: JobContext, options: OptimizationLoopOptions): Promise<OptimizationOutcome> {
  const [from, to] = options.progressRange ?? [0, 1];
  const describe = options.describeStep ?? ((step, steps) => `step ${step} of ${steps}`);
  const keepLast = options.keep === 'last';
  let kept: tf.Tensor4D | null = null;
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
        kept?.dispose();
        kept = tf.clone(optimizer.evaluated());
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
    const image = kept ?? tf.clone(optimizer.evaluated());
    kept = null;
    return { image, loss: keptLoss, stepsRun, ended };
  } finally {
    kept?.dispose();
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
