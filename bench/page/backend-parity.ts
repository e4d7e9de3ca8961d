// Parity of two TF.js backends on this page (the WebGPU parity test: WASM against WebGPU): the same runs, network
// forward passes and technique jobs, on each backend in turn, each backend with its own freshly loaded networks, and
// how far their outputs are apart. Inputs are deterministic (a synthetic pattern, seeded noise), so any difference is
// the kernels' (float32 on both; a GPU sums in another order and fuses other operations).
import * as tf from '@tensorflow/tfjs';
import { isTechniqueId } from '../../techniques/registry';
import { runTechnique } from '../../techniques/run-technique';
import { silentContext } from '../../techniques/job';
import { bundledAssets } from '../../ui/engine/resources';
import { pageNetworks, useBackend, useBundledWeights } from './backend';
import { syntheticImage } from './images';
import { fixedBottleneck, forwardFunction, inputTensor } from './forward';
import type { Backend, ForwardNetwork } from './protocol';

export type ParityRun =
  /** One forward pass of `network` on the synthetic pattern at `size` px: its output (logits, features, bottleneck,
   *  image) compared relative to its largest magnitude. */
  | { kind: 'forward'; network: ForwardNetwork; size: number }
  /** One technique job on the synthetic pattern: its result's pixels compared, in 0..255 levels. */
  | { kind: 'technique'; name: string; id: string; size: number; params: Record<string, unknown> };

export interface ParityResult {
  name: string;
  /** Values compared. */
  count: number;
  /** Largest and mean |a − b| (forward: over the largest |a|, so 1e-3 is 0.1% of the output's range). */
  maxDifference: number;
  meanDifference: number;
  /** Mean |a| of the first backend's output, in the same unit as the differences before scaling (forward: the
   *  largest |a|; technique: mean level): says the output is not all zeros. */
  magnitude: number;
  /** Technique: mean |result − source| of the first backend, in levels: the job changed the image (so a difference of
   *  0 above is not two untouched copies). */
  changed?: number;
  /** Seconds each backend took, first run included (a GPU compiles its shaders then). */
  seconds: Record<string, number>;
  /** Synchronous reads (dataSync, arraySync) each backend served, and their seconds: on a GPU each one stalls the
   *  queue (on WebGPU, through a canvas: ~2 s each on SwiftShader). */
  syncReads: Record<string, { count: number; seconds: number }>;
}

export function parityName(run: ParityRun): string {
  return run.kind === 'forward' ? `${run.network} ${run.size}px` : `${run.name} ${run.size}px`;
}

export async function backendParity(runs: ParityRun[], backends: [Backend, Backend]): Promise<ParityResult[]> {
  const outputs = new Map<Backend, Float32Array[]>();
  const seconds = runs.map(() => ({}) as Record<string, number>);
  const syncReads = runs.map(() => ({}) as ParityResult['syncReads']);
  for (const backend of backends) {
    await useBackend(backend);
    await useBundledWeights(); // weights uploaded to this backend, not moved there from the other one
    const values: Float32Array[] = [];
    for (const [i, run] of runs.entries()) {
      const started = performance.now();
      const reads = countSyncReads();
      values.push(await runOnce(run).finally(() => (syncReads[i][backend] = reads.stop())));
      // Nothing may have moved the run elsewhere (a fallback, a kernel's own choice): it ran where it says.
      if (tf.getBackend() !== backend) throw new Error(`${parityName(run)} ended on ${tf.getBackend()}, not ${backend}`);
      seconds[i][backend] = Math.round((performance.now() - started) / 100) / 10;
    }
    outputs.set(backend, values);
  }
  await useBundledWeights();
  const [first, second] = backends.map((backend) => outputs.get(backend)!);
  return runs.map((run, i) => ({
    name: parityName(run),
    ...compare(first[i], second[i], run.kind === 'forward'),
    ...(run.kind === 'technique' ? { changed: compare(first[i], Float32Array.from(syntheticImage(run.size).data), false).meanDifference } : {}),
    seconds: seconds[i],
    syncReads: syncReads[i],
  }));
}

/** Counts and times the current backend's synchronous reads until stop(). */
function countSyncReads(): { stop(): { count: number; seconds: number } } {
  const backend = tf.backend() as unknown as { readSync(dataId: object): unknown };
  const readSync = backend.readSync;
  let count = 0;
  let ms = 0;
  backend.readSync = (dataId) => {
    const started = performance.now();
    try {
      return readSync.call(backend, dataId);
    } finally {
      count++;
      ms += performance.now() - started;
    }
  };
  return {
    stop() {
      backend.readSync = readSync;
      return { count, seconds: Math.round(ms / 100) / 10 };
    },
  };
}

function compare(a: Float32Array, b: Float32Array, relative: boolean): Pick<ParityResult, 'count' | 'maxDifference' | 'meanDifference' | 'magnitude'> {
  if (a.length !== b.length) throw new Error(`outputs differ in size: ${a.length} vs ${b.length}`);
  let largest = 0;
  let sumA = 0;
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    largest = Math.max(largest, Math.abs(a[i]));
    sumA += Math.abs(a[i]);
    const difference = Math.abs(a[i] - b[i]);
    // NaN on one side only is the worst difference there is.
    worst = Math.max(worst, Number.isNaN(difference) ? Infinity : difference);
    sum += difference;
  }
  const scale = relative ? largest || 1 : 1;
  return { count: a.length, maxDifference: worst / scale, meanDifference: sum / a.length / scale, magnitude: relative ? largest : sumA / a.length };
}

async function runOnce(run: ParityRun): Promise<Float32Array> {
  if (run.kind === 'technique') {
    if (!isTechniqueId(run.id)) throw new Error(`unknown technique ${run.id}`);
    const result = await runTechnique(run.id, { source: syntheticImage(run.size) }, run.params, silentContext({ networks: pageNetworks(), assets: bundledAssets }));
    return Float32Array.from(result.data);
  }
  const x = inputTensor(run.size);
  const bottleneck = fixedBottleneck();
  try {
    const forward = await forwardFunction(run.network, bottleneck);
    const output = tf.tidy(() => forward(x));
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  } finally {
    tf.dispose([x, bottleneck]);
  }
}

