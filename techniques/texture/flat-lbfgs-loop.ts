// The optimisation loop of the neural texture path: the bookkeeping of optimize/optimization-loop.ts (progress,
// previews, cancel, stop and keep, early stop, the best image kept) for L-BFGS over the flat pixel vector, with
// every image a JavaScript array and never a tensor.
//
// Why not the shared loop: it keeps the optimizer's current image and the best one as tensors, up to three
// image-sized tensors at once. The tiled texture objective otherwise holds one tile's activations whatever the
// output size; at 4096 px those tensors are 192 MiB each and were measured as the difference between the TF.js
// peak of the last stage, 983 MB, and 600-700 MB at every smaller size (and the WASM heap never shrinks).
// L-BFGS's iterate is replaced, never mutated, and its line search only accepts decreases, so the best image is
// simply the iterate of the lowest loss, kept by reference (no copy).
import { throwIfAborted } from '../errors';
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import { createLbfgs, type LbfgsOptions, type ValueAndGradient } from '../optimize/lbfgs';
import { hasFlattened, type OptimizationOutcome } from '../optimize/optimization-loop';

export interface FlatLbfgsLoopOptions {
  steps: number;
  lbfgs: LbfgsOptions;
  /** A preview on the first step, then every this many steps and on the last; 0 = none. */
  previewEvery: number;
  toPreview: (x: Float32Array) => RgbaImage;
  /** The part of the job's progress bar this loop fills. */
  progressRange: readonly [number, number];
  /** The progress bar's words for a step (default "step 4 of 60"). */
  describeStep?: (step: number, steps: number) => string;
  /** As in optimization-loop.ts: stop when the best loss has flattened; omit to run every step. */
  earlyStop?: { patience: number; minRelativeImprovement: number };
}

export interface FlatLbfgsOutcome {
  /** The lowest-loss image (borrowed from the optimizer, which is gone: the caller's now). */
  x: Float32Array;
  loss: number;
  stepsRun: number;
  ended: OptimizationOutcome['ended'];
}

/** Runs L-BFGS from `x0` for up to `options.steps` steps. Throws a typed "cancelled" error on cancel. */
export async function runFlatLbfgsLoop(f: ValueAndGradient, x0: Float32Array, context: Pick<JobContext, 'signal' | 'onProgress' | 'finishEarly'>, options: FlatLbfgsLoopOptions): Promise<FlatLbfgsOutcome> {
  const lbfgs = createLbfgs(f, x0, options.lbfgs);
  const [from, to] = options.progressRange;
  const describe = options.describeStep ?? ((step, steps) => `step ${step} of ${steps}`);
  let best = x0;
  let bestLoss = Infinity;
  let stepsRun = 0;
  let ended: OptimizationOutcome['ended'] = 'steps';
  const history: number[] = [];
  for (let step = 1; step <= options.steps; step++) {
    throwIfAborted(context.signal);
    if (context.finishEarly?.aborted) {
      ended = 'finished-early';
      break;
    }
    const result = await lbfgs.step();
    stepsRun = step;
    if (result.value < bestLoss) {
      bestLoss = result.value;
      best = lbfgs.x;
    }
    history.push(bestLoss);
    const previewDue = options.previewEvery > 0 && (step === 1 || step % options.previewEvery === 0 || step === options.steps);
    context.onProgress({ fraction: from + ((to - from) * step) / options.steps, message: describe(step, options.steps), preview: previewDue ? options.toPreview(lbfgs.x) : undefined });
    if (result.converged) {
      ended = 'converged';
      break;
    }
    if (options.earlyStop && hasFlattened(history, options.earlyStop.patience, options.earlyStop.minRelativeImprovement)) {
      ended = 'flattened';
      break;
    }
  }
  throwIfAborted(context.signal);
  return { x: best, loss: bestLoss, stepsRun, ended };
}
