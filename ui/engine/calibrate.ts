// A short measurement of how fast a TF.js backend runs the kind of work the techniques do: a few 3x3 convolutions
// over a small image, read back. The engine times it on WASM and on the GPU backend (WebGPU, else WebGL) and keeps the
// faster (backend-choice.ts): a software GPU is often 20x slower than WASM on the same CPU, while a real GPU is faster
// than both.
// Everything is disposed: the calibration leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { PasticheError } from '../../techniques/errors';
import type { Calibration } from './backend-choice';
import type { BackendCalibration } from '../../plugin/messages';

export interface CalibrationWorkload {
  /** Side of the square input image, px. */
  side: number;
  /** Channels of the hidden layers. */
  channels: number;
  /** Timed passes after the warm-up pass (their mean is the figure). */
  runs: number;
}

/**
 * 3 -> 16 -> 16 -> 3 channels at 128 px (about 40 M multiply-adds a pass): shaped like the techniques' networks (an
 * image in, an image out, read back), small enough that WASM measures it in tens of milliseconds and that a software
 * renderer's warm-up (its shader compiles) plus one pass is a fraction of a second, large enough that a real GPU's
 * fixed cost per kernel does not hide its speed.
 */
export const CALIBRATION_WORKLOAD: CalibrationWorkload = { side: 128, channels: 16, runs: 1 };

/**
 * Time allowed to the GPU backend's warm-up and timed pass together. A GPU slower than this, on a workload WASM does
 * in tens of milliseconds, has lost already; stopping waiting keeps the calibration under a second on a software
 * renderer (measured here, SwiftShader on 2 busy cores: WebGL 0.7-1.4 s, WebGPU 1.2-1.6 s for warm-up and pass). Its
 * pass in flight finishes in the background and frees its tensors then.
 */
export const GPU_BUDGET_MS = 500;

export interface CalibrationBackends {
  /** Puts TF.js on WASM; false when it cannot start. */
  useWasm(): Promise<boolean>;
  /** The GPU backend measured against it. */
  gpu: BackendCalibration['gpu'];
  /** Puts TF.js on that GPU backend; false when it cannot start. */
  useGpu(): Promise<boolean>;
}

/** Both figures, or null when one of the two backends cannot start (there is nothing to choose then). Leaves TF.js
 *  on the GPU: the caller puts it on the backend it chooses. */
export async function calibrate(
  backends: CalibrationBackends,
  workload: CalibrationWorkload = CALIBRATION_WORKLOAD,
  budgetMs: number = GPU_BUDGET_MS,
): Promise<Calibration | null> {
  // WASM first: it is quick, and the GPU's in-flight work (should it run out of time) cannot slow it down.
  if (!(await backends.useWasm())) return null;
  const wasmMs = await timeWorkload(workload);
  if (!(await backends.useGpu())) return null;
  const stop = new AbortController();
  const timing = timeWorkload(workload, stop.signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outOfTime = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), budgetMs)));
  const gpuMs = await Promise.race([timing, outOfTime]);
  clearTimeout(timer);
  if (gpuMs === null) {
    stop.abort();
    timing.catch(() => {}); // it ends with 'cancelled' at its next pass: expected, not an error
  }
  return { gpu: backends.gpu, gpuMs: round(gpuMs ?? budgetMs), wasmMs: round(wasmMs), gpuFinished: gpuMs !== null };
}

/**
 * Milliseconds for one pass of the workload on the backend TF.js computes on now, after one warm-up pass: shader
 * compiles on a GPU and memory growth on WASM are paid once per session, not per job, so they are not the figure.
 * `signal` stops it before its next pass (PasticheError 'cancelled').
 */
export async function timeWorkload(workload: CalibrationWorkload = CALIBRATION_WORKLOAD, signal?: AbortSignal): Promise<number> {
  const { side, channels } = workload;
  // Seeded: the same numbers on every backend and every run (no data-dependent speed).
  const input = tf.randomUniform([1, side, side, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const filters = [
    tf.randomNormal([3, 3, 3, channels], 0, 0.2, 'float32', 2),
    tf.randomNormal([3, 3, channels, channels], 0, 0.1, 'float32', 3),
    tf.randomNormal([3, 3, channels, 3], 0, 0.1, 'float32', 4),
  ] as tf.Tensor4D[];
  const pass = async () => {
    if (signal?.aborted) throw new PasticheError('cancelled', 'The calibration was stopped.');
    const output = tf.tidy(() => filters.reduce((x, filter) => tf.relu(tf.conv2d(x, filter, 1, 'same')), input));
    try {
      // The read is part of the work: every job reads its result back, and on a GPU it is what waits for it.
      await output.data();
    } finally {
      output.dispose();
    }
  };
  try {
    await pass();
    const started = performance.now();
    for (let run = 0; run < workload.runs; run++) await pass();
    return (performance.now() - started) / workload.runs;
  } finally {
    tf.dispose([input, ...filters]);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
