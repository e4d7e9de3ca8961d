// When the GPU fails under a job, the job runs again instead of failing (WebGL and WebGPU alike, through the watch of
// gpu-watch.ts):
//  - a lost GPU (a WebGL context or WebGPU device lost: a driver reset or crash, the browser reclaiming contexts,
//    WEBGL_lose_context, device.destroy()): TF.js's backend never gets its data back and its reads may wait forever,
//    so the running try is abandoned at once and the engine stays on WASM for the rest of the session (reopening the
//    plugin gets the GPU back);
//  - GPU memory exhausted (a WebGL error or oversized texture thrown, a WebGPU out-of-memory error reported during the
//    try): once more on the GPU in tiles (and network passes) of half the side, without WebGL's im2col convolution's
//    large matrices; if that runs out too, WASM for this job only (the wasm32 heap is larger than what many GPUs give a
//    page), then the GPU again for the next one.
// A retry's progress line starts with why it runs again (SMALLER_TILES_NOTICE, GPU_FAULT_NOTICE), so the panel says it
// in one line.
import * as tf from '@tensorflow/tfjs';
import { PasticheError, throwIfAborted } from '../../techniques/errors';
import type { GpuWatch } from './gpu-watch';

/** 'context-lost': the WebGL context or the WebGPU device is gone. */
export type GpuFault = 'context-lost' | 'out-of-memory';

/** The progress line's prefix while a job runs again on the GPU in smaller tiles. */
export const SMALLER_TILES_NOTICE = 'Not enough GPU memory; trying again in smaller tiles';
/** The tile side of that retry, as a fraction of the usual one (a quarter of the memory a tile needs). */
export const SMALLER_TILE_SCALE = 0.5;

export const GPU_FAULT_NOTICE: Record<GpuFault, string> = {
  'context-lost': 'The GPU stopped; finishing on the CPU',
  'out-of-memory': 'Not enough GPU memory; finishing on the CPU',
};

/** One try at a job: its signal fires on cancel and when the try is abandoned; `notice` is set on a retry. */
export interface Attempt {
  signal: AbortSignal;
  notice?: string;
  /** Set on the retry after a GPU out-of-memory: the job's JobContext.tileScale. */
  tileScale?: number;
}

/** Runs a job's tries: once, and again (in smaller tiles, or on the CPU) when the GPU failed under it. */
export interface GpuFallback {
  run<T>(job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<T>;
}

/** How TF.js's WebGL backend reports exhausted GPU memory: "WebGL Error: OUT_OF_MEMORY" (its GL error check), a
 *  texture over MAX_TEXTURE_SIZE, or a null from createTexture / createFramebuffer; and what Chromium's WebGPU throws
 *  for a buffer mapped at creation that cannot be allocated (TF.js uploads through those): "createBuffer failed, size
 *  (…) is too large for the implementation when mappedAtCreation == true". */
const GPU_MEMORY_ERROR = /OUT_OF_MEMORY|out of memory|greater than WebGL maximum|Unable to create WebGL(Texture|Framebuffer)|too large for the implementation/i;

export function isGpuMemoryError(error: unknown): boolean {
  return GPU_MEMORY_ERROR.test(error instanceof Error ? error.message : String(error));
}

const LOST = Symbol('context lost');

/** The fallback over one GPU backend: jobs run on it and again elsewhere when it fails; while TF.js computes on
 *  another backend, jobs pass through. */
export class GpuJobFallback implements GpuFallback {
  constructor(
    private readonly gpu: GpuWatch,
    private readonly cpu: {
      /** Moves TF.js to WASM; false when it cannot start. */
      use(): Promise<boolean>;
      /** Frees the networks uploaded to one backend. */
      releaseNetworks(backend: string): Promise<void>;
    },
  ) {}

  async run<T>(job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<T> {
    if (tf.getBackend() !== this.gpu.backend) return job({ signal: cancel });
    // Lost while idle: no try on a GPU that is gone.
    let fault = this.gpu.isLost() ? 'context-lost' : await this.tryOnGpu(job, cancel);
    if (typeof fault === 'object') return fault.value;
    throwIfAborted(cancel);
    if (fault === 'out-of-memory') {
      const smaller = await this.tryOnGpu((attempt) => job({ ...attempt, notice: SMALLER_TILES_NOTICE, tileScale: SMALLER_TILE_SCALE }), cancel);
      if (typeof smaller === 'object') return smaller.value;
      throwIfAborted(cancel);
      fault = smaller;
    }
    return this.retryOnCpu(fault, job, cancel);
  }

  private async tryOnGpu<T>(job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<{ value: T } | GpuFault> {
    const attempt = new AbortController();
    const forwardCancel = () => attempt.abort();
    cancel.addEventListener('abort', forwardCancel, { once: true });
    const lossesBefore = this.gpu.losses();
    const memoryErrorsBefore = await this.gpu.memoryErrors();
    const lostSince = () => this.gpu.losses() > lossesBefore || this.gpu.isLost();
    const ranOutOfMemory = async () => (await this.gpu.memoryErrors()) > memoryErrorsBefore;
    let wake = () => {};
    const lost = new Promise<typeof LOST>((resolve) => (wake = () => resolve(LOST)));
    const stopWatching = this.gpu.onLoss(wake);
    try {
      // A read on a lost GPU may never resolve: the loss ends the wait.
      const value = await Promise.race([job({ signal: attempt.signal }), lost]);
      if (value === LOST || lostSince()) return 'context-lost';
      // WebGPU reports exhausted memory as an event, not an exception: a result computed meanwhile is not to be trusted.
      if (!cancel.aborted && (await ranOutOfMemory())) return 'out-of-memory';
      return { value };
    } catch (error) {
      if (lostSince() || this.gpu.isLossError(error)) return 'context-lost';
      if (!cancel.aborted && (isGpuMemoryError(error) || (await ranOutOfMemory()))) return 'out-of-memory';
      throw error;
    } finally {
      stopWatching();
      cancel.removeEventListener('abort', forwardCancel);
      attempt.abort(); // an abandoned try stops at its next checkpoint and reports nothing more
    }
  }

  private async retryOnCpu<T>(fault: GpuFault, job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<T> {
    if (fault === 'context-lost') this.gpu.afterLoss();
    if (!(await this.cpu.use())) {
      throw new PasticheError(
        'backend',
        fault === 'context-lost' ? 'The GPU stopped and the CPU could not take over. Close and reopen the plugin.' : 'Not enough GPU memory for this job, and the CPU could not take over. Try a smaller size.',
      );
    }
    // The GPU's copies of the weights are gone with it.
    if (fault === 'context-lost') await this.cpu.releaseNetworks(this.gpu.backend);
    try {
      return await job({ signal: cancel, notice: GPU_FAULT_NOTICE[fault] });
    } finally {
      if (fault === 'out-of-memory') {
        // The GPU still works for smaller jobs: back to it, and the WASM heap's weights freed for them.
        await this.cpu.releaseNetworks('wasm');
        await tf.setBackend(this.gpu.backend);
      }
    }
  }
}
