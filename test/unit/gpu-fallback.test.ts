// The GPU fallback (ui/engine/gpu-fallback.ts) over a watched GPU (gpu-watch.ts), with a GPU double: the retry rules
// without a browser, in particular WebGPU's way of failing, which throws nothing (an out-of-memory event during the
// try, a device lost while a read waits forever). The browser tests (faults.test.ts on WebGL, webgpu-engine.test.ts on
// WebGPU) drill the same faults on real backends.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { GPU_FAULT_NOTICE, GpuJobFallback, SMALLER_TILE_SCALE, SMALLER_TILES_NOTICE, type Attempt } from '../../ui/engine/gpu-fallback';
import type { GpuWatch } from '../../ui/engine/gpu-watch';

/** A TF.js backend that stands for WebGPU here (the jobs below compute nothing: only where TF.js is matters). */
const GPU = 'webgpu';
tf.registerBackend(GPU, () => new MathBackendCPU(), 0);

class GpuDouble implements GpuWatch {
  readonly backend = GPU;
  private lost = false;
  private readonly listeners = new Set<() => void>();
  memoryErrorCount = 0;
  afterLossCalls = 0;
  losses = () => (this.lost ? 1 : 0);
  isLost = () => this.lost;
  onLoss(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  memoryErrors = async () => this.memoryErrorCount;
  isLossError = (error: unknown) => String(error).includes('unmapped before mapping was resolved');
  afterLoss = () => void this.afterLossCalls++;
  lose() {
    this.lost = true;
    for (const listener of this.listeners) listener();
  }
}

let gpu: GpuDouble;
let released: string[];
let fallback: GpuJobFallback;

beforeEach(async () => {
  await tf.setBackend(GPU);
  gpu = new GpuDouble();
  released = [];
  fallback = new GpuJobFallback(gpu, {
    use: async () => tf.setBackend('cpu'),
    releaseNetworks: async (backend) => void released.push(backend),
  });
});

/** A job that records each try: where TF.js was, and what the attempt said. */
function recordingJob(onTry: (attempt: Attempt, index: number) => Promise<string> | string) {
  const tries: Array<{ backend: string; notice?: string; tileScale?: number }> = [];
  const job = async (attempt: Attempt) => {
    tries.push({ backend: tf.getBackend(), ...(attempt.notice ? { notice: attempt.notice } : {}), ...(attempt.tileScale ? { tileScale: attempt.tileScale } : {}) });
    return onTry(attempt, tries.length - 1);
  };
  return { tries, job };
}

test('a job the GPU finishes runs once, there', async () => {
  const { tries, job } = recordingJob(() => 'done');
  expect(await fallback.run(job, new AbortController().signal)).toBe('done');
  expect(tries).toEqual([{ backend: GPU }]);
});

test('out of memory reported as an event during the try (nothing thrown): the result is dropped, the job runs again in smaller tiles', async () => {
  const { tries, job } = recordingJob((_, i) => {
    if (i === 0) gpu.memoryErrorCount++; // WebGPU: the work went on with an invalid buffer
    return `result ${i}`;
  });
  expect(await fallback.run(job, new AbortController().signal)).toBe('result 1');
  expect(tries).toEqual([{ backend: GPU }, { backend: GPU, notice: SMALLER_TILES_NOTICE, tileScale: SMALLER_TILE_SCALE }]);
});

test('out of memory in smaller tiles too: the CPU finishes the job, then TF.js is back on the GPU', async () => {
  const { tries, job } = recordingJob((_, i) => {
    if (i < 2) gpu.memoryErrorCount++;
    return `result ${i}`;
  });
  expect(await fallback.run(job, new AbortController().signal)).toBe('result 2');
  expect(tries.map((t) => [t.backend, t.notice])).toEqual([
    [GPU, undefined],
    [GPU, SMALLER_TILES_NOTICE],
    ['cpu', GPU_FAULT_NOTICE['out-of-memory']],
  ]);
  expect(tf.getBackend()).toBe(GPU);
  expect(released).toEqual(['wasm']);
});

test("WebGPU's error for a buffer mapped at creation is out of memory", async () => {
  const { tries, job } = recordingJob((_, i) => {
    if (i === 0) throw new RangeError("Failed to execute 'createBuffer' on 'GPUDevice': createBuffer failed, size (1073741824) is too large for the implementation when mappedAtCreation == true");
    return 'smaller';
  });
  expect(await fallback.run(job, new AbortController().signal)).toBe('smaller');
  expect(tries[1]).toMatchObject({ notice: SMALLER_TILES_NOTICE });
});

test('the device lost while a read waits forever: the try is abandoned, the CPU finishes, and the engine stays there', async () => {
  let abandoned: AbortSignal | undefined;
  const { tries, job } = recordingJob((attempt, i) => {
    if (i > 0) return 'on the cpu';
    abandoned = attempt.signal;
    setTimeout(() => gpu.lose(), 10);
    return new Promise<string>(() => {}); // a read on a lost device
  });
  expect(await fallback.run(job, new AbortController().signal)).toBe('on the cpu');
  expect(abandoned?.aborted).toBe(true);
  expect(tries.map((t) => [t.backend, t.notice])).toEqual([
    [GPU, undefined],
    ['cpu', GPU_FAULT_NOTICE['context-lost']],
  ]);
  expect(gpu.afterLossCalls).toBe(1);
  expect(released).toEqual([GPU]);
  expect(tf.getBackend()).toBe('cpu');
  // Later jobs pass through on the CPU.
  const later = recordingJob(() => 'later');
  expect(await fallback.run(later.job, new AbortController().signal)).toBe('later');
  expect(later.tries).toEqual([{ backend: 'cpu' }]);
});

test("a read rejected because the device was destroyed (which may never resolve device.lost) is a loss", async () => {
  const { tries, job } = recordingJob((_, i) => {
    if (i === 0) throw new DOMException("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.", 'AbortError');
    return 'on the cpu';
  });
  expect(await fallback.run(job, new AbortController().signal)).toBe('on the cpu');
  expect(tries.map((t) => [t.backend, t.notice])).toEqual([
    [GPU, undefined],
    ['cpu', GPU_FAULT_NOTICE['context-lost']],
  ]);
  expect(gpu.afterLossCalls).toBe(1);
});

test('a cancelled job is not retried, whatever the GPU reported', async () => {
  const cancel = new AbortController();
  const { tries, job } = recordingJob(() => {
    gpu.memoryErrorCount++;
    cancel.abort();
    throw new Error('cancelled');
  });
  await expect(fallback.run(job, cancel.signal)).rejects.toThrow('cancelled');
  expect(tries).toHaveLength(1);
});
