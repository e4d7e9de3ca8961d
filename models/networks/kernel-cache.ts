// Kernels derived from a network's weights for its backward pass (flipped, transposed, rearranged for sub-pixel
// convolution), kept while a job that takes many gradients runs. Without the cache every step derives every kernel
// again and, worse, hands XNNPACK (WASM) a new kernel tensor, which it repacks on every call (measured: a 1x1
// conv's backward 16 ms with a kept kernel, 34 ms fresh). Outside a `withKernelCache` scope kernels are derived per
// call and freed with the backward pass, so nothing outlives its caller.
import * as tf from '@tensorflow/tfjs';

let scopes = 0;
/** Per weight (its dataId, stable for the weight's life), per derivation name. */
let cache = new WeakMap<object, Map<string, tf.Tensor>>();
let kept: tf.Tensor[] = [];

/** Runs `job` with derived kernels cached across its steps; they are freed when the last such job ends. */
export async function withKernelCache<T>(job: () => Promise<T>): Promise<T> {
  scopes++;
  try {
    return await job();
  } finally {
    if (--scopes === 0) {
      tf.dispose(kept);
      kept = [];
      cache = new WeakMap();
    }
  }
}

/**
 * The kernel `derive` makes from the weight whose data is `weightDataId`, under `name` (which must name the
 * derivation and all its parameters). Cached while a `withKernelCache` job runs; otherwise fresh (and owned by the
 * caller's tidy scope). `derive` must return a new tensor, never the weight itself.
 */
export function derivedKernel<T extends tf.Tensor>(weightDataId: object, name: string, derive: () => T): T {
  if (scopes === 0) return derive();
  let byName = cache.get(weightDataId);
  if (!byName) cache.set(weightDataId, (byName = new Map()));
  let kernel = byName.get(name) as T | undefined;
  if (!kernel) {
    kernel = tf.keep(tf.tidy(derive));
    byName.set(name, kernel);
    kept.push(kernel);
  }
  return kernel;
}
