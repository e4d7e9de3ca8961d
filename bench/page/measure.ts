// Timing and memory of one case: a cold run (first call: weight upload, shader compiles, WASM warm-up), then a
// warm run watched for its peak tensor bytes and for tensors it leaves behind.
import * as tf from '@tensorflow/tfjs';
import type { CaseMeasure } from './protocol';

interface EngineInternals {
  state: { numBytes: number };
  trackTensor: (...args: unknown[]) => unknown;
}

/**
 * Peak of tf.memory().numBytes while `run` runs. tf.profile would give the same peak but syncs after every
 * kernel to time it (slowing WebGL a lot), and sampling on a timer misses synchronous work; so the engine's
 * one place that adds bytes (trackTensor, internal API of tfjs-core 4.x) is wrapped for the run's duration.
 */
export async function peakBytesDuring<T>(run: () => Promise<T>, options: { ignored?: () => boolean } = {}): Promise<{ result: T; peakBytes: number | null }> {
  const engine = tf.engine() as unknown as EngineInternals;
  const original = engine.trackTensor;
  if (typeof original !== 'function') return { result: await run(), peakBytes: null };
  const baseline = engine.state.numBytes;
  let peak = baseline;
  // `ignored`: while it says so, tensors are the bench's own (e.g. a quality metric inside a job's progress).
  const ignored = options.ignored ?? (() => false);
  engine.trackTensor = function (this: EngineInternals, ...args: unknown[]) {
    const out = original.apply(this, args);
    if (this.state.numBytes > peak && !ignored()) peak = this.state.numBytes;
    return out;
  };
  try {
    const result = await run();
    return { result, peakBytes: peak - baseline };
  } finally {
    engine.trackTensor = original;
  }
}

/** Warm runs after the cold one: until this many, or until they have taken WARM_BUDGET_MS (at least one). */
const WARM_RUNS = 7;
const WARM_BUDGET_MS = 3000;

/**
 * Times `run` again until it has run `runs` times or taken `budgetMs` in all, counting `firstMs` (a run already
 * timed) as the first. Sorted times, the median, and how many.
 */
export async function repeatTimed(run: () => unknown, firstMs: number | null, runs: number, budgetMs: number): Promise<{ times: number[]; medianMs: number }> {
  const times = firstMs === null ? [] : [firstMs];
  while (times.length === 0 || (times.length < runs && times.reduce((a, b) => a + b, 0) < budgetMs)) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { times, medianMs: times[Math.floor(times.length / 2)] };
}

/**
 * `run` must wait for its results (read them back) so that the time covers the GPU work. Warm time is the median
 * of the warm runs: one run of a 20 ms forward pass varies by 2x with the browser's own work (GC, compositing).
 * Peak bytes are those of the first warm run; tensors left over are counted after all of them (a leak adds up).
 */
export async function coldAndWarm(run: () => Promise<void>): Promise<CaseMeasure> {
  let started = performance.now();
  await run();
  const coldMs = performance.now() - started;
  const tensorsBefore = tf.memory().numTensors;
  started = performance.now();
  const { peakBytes } = await peakBytesDuring(run);
  const { times, medianMs: warmMs } = await repeatTimed(run, performance.now() - started, WARM_RUNS, WARM_BUDGET_MS);
  return { coldMs, warmMs, peakBytes, tensorsLeftOver: tf.memory().numTensors - tensorsBefore, extra: { warmRuns: times.length } };
}
