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

/** Untimed runs between the cold run and the warm ones, when asked for: as many as end within this. */
const SETTLE_BUDGET_MS = 2000;

/**
 * `run` must wait for its results (read them back) so that the time covers the GPU work. Warm time is the median
 * of the warm runs: one run of a 20 ms forward pass varies by 2x with the browser's own work (GC, compositing).
 * Peak bytes are those of the first warm run; tensors left over are counted after all of them (a leak adds up).
 * `settleRuns`: untimed runs first (up to SETTLE_BUDGET_MS), for rows compared with another engine's: the TFLite
 * interpreter takes 6-8 runs to reach its steady time (MobileNetV2: 46, 26, 19.5, 18.4, 17.8, 19.4, 16.8, then
 * 13.6-14.2 ms), so 7 warm runs right after the cold one put its median ~30% above what it settles to.
 */
export async function coldAndWarm(run: () => Promise<void>, { settleRuns = 0 } = {}): Promise<CaseMeasure> {
  let started = performance.now();
  await run();
  const coldMs = performance.now() - started;
  // Another run only while it would end within the budget (the last run's time as the guess; the cold one's first).
  const settling = performance.now();
  for (let i = 0, last = coldMs; i < settleRuns && performance.now() - settling + last <= SETTLE_BUDGET_MS; i++) {
    const t0 = performance.now();
    await run();
    last = performance.now() - t0;
  }
  const tensorsBefore = tf.memory().numTensors;
  started = performance.now();
  const { peakBytes } = await peakBytesDuring(run);
  const { times, medianMs: warmMs } = await repeatTimed(run, performance.now() - started, WARM_RUNS, WARM_BUDGET_MS);
  return { coldMs, warmMs, peakBytes, tensorsLeftOver: tf.memory().numTensors - tensorsBefore, extra: { warmRuns: times.length } };
}

/** Rounds of a paired ratio: at least PAIRED_MIN_ROUNDS, then more until PAIRED_ROUNDS or PAIRED_BUDGET_MS. */
const PAIRED_MIN_ROUNDS = 3;
const PAIRED_ROUNDS = 9;
const PAIRED_BUDGET_MS = 8000;
/** Runs of each side in a round; the round's time of a side is their median (its caches warm again after the switch). */
const PAIRED_BLOCK = 3;
const PAIRED_LONG_RUN_MS = 250;

/**
 * The time of `a` over the time of `b`, measured in rounds: a block of runs of one, then a block of the other (which
 * goes first alternates), the round's ratio the ratio of the blocks' medians, the result the median of the rounds'.
 * Why: a ratio of two cases' medians taken tens of seconds apart swung from 0.5x to 3.2x for the same code on this
 * 2-core machine under other work (load 5-11); neighbouring blocks see the same load. Blocks rather than single
 * alternating runs keep each side's caches warm. Used for a gradient step against a forward pass, and for our
 * forward pass against the TFLite interpreter's (both settled first, the interpreter on one thread): there each
 * side's paired time equals its time alone (MobileNetV2 19.8 / 14.4 ms paired, 19.7 / 13.9 alone), and the
 * ratio held at 1.36 over three runs where the ratio of medians taken apart went from 1.13 to 2.08. (An earlier
 * try, the interpreter then on its default threads and unsettled, made both 2-3x slower.)
 */
export async function pairedRatio(a: () => Promise<void>, b: () => Promise<void>): Promise<{ ratio: number; rounds: number; aMs: number; bMs: number }> {
  const ratios: number[] = [];
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  const started = performance.now();
  const block = async (run: () => Promise<void>) => {
    const times: number[] = [];
    for (let i = 0; i < PAIRED_BLOCK; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
      if (times[0] > PAIRED_LONG_RUN_MS) break; // a run this long warms (and flushes) the caches by itself
    }
    return times.sort((x, y) => x - y)[Math.floor(times.length / 2)];
  };
  while (ratios.length < PAIRED_MIN_ROUNDS || (ratios.length < PAIRED_ROUNDS && performance.now() - started < PAIRED_BUDGET_MS)) {
    const aFirst = ratios.length % 2 === 0;
    const first = await block(aFirst ? a : b);
    const second = await block(aFirst ? b : a);
    aTimes.push(aFirst ? first : second);
    bTimes.push(aFirst ? second : first);
    ratios.push(aFirst ? first / second : second / first);
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return { ratio: Math.round(median(ratios) * 100) / 100, rounds: ratios.length, aMs: Math.round(median(aTimes) * 10) / 10, bMs: Math.round(median(bTimes) * 10) / 10 };
}
