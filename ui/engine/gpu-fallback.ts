// When the GPU fails under a job, the job runs again instead of failing:
//  - a lost WebGL context (a GPU driver reset or crash, the browser reclaiming contexts, WEBGL_lose_context): TF.js's
//    WebGL backend never gets its textures back and its reads wait forever, so the running try is abandoned at once
//    and the engine stays on WASM for the rest of the session (reopening the plugin gets the GPU back);
//  - GPU memory exhausted, or a texture over the GPU's size limit: once more on the GPU in tiles (and network passes)
//    of half the side, without the im2col convolution's large matrices; if that runs out too, WASM for this job only
//    (the wasm32 heap is larger than what many GPUs give a page), then WebGL again for the next one.
// A retry's progress line starts with why it runs again (SMALLER_TILES_NOTICE, GPU_FAULT_NOTICE), so the panel says it
// in one line.
import * as tf from '@tensorflow/tfjs';
import { PasticheError, throwIfAborted } from '../../techniques/errors';
import { currentWebglBackend, stopFencePolling, type WebglBackendInternals } from './webgl-internals';

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
 *  texture over MAX_TEXTURE_SIZE, or a null from createTexture / createFramebuffer. */
const GPU_MEMORY_ERROR = /OUT_OF_MEMORY|out of memory|greater than WebGL maximum|Unable to create WebGL(Texture|Framebuffer)/i;

export function isGpuMemoryError(error: unknown): boolean {
  return GPU_MEMORY_ERROR.test(error instanceof Error ? error.message : String(error));
}

const LOST = Symbol('context lost');

export class WebglFallback implements GpuFallback {
  private losses = 0;
  private readonly wakeOnLoss = new Set<() => void>();
  private readonly webgl: WebglBackendInternals;

  constructor(
    private readonly cpu: {
      /** Moves TF.js to WASM; false when it cannot start. */
      use(): Promise<boolean>;
      /** Frees the networks uploaded to one backend. */
      releaseNetworks(backend: string): Promise<void>;
    },
  ) {
    const webgl = currentWebglBackend();
    if (!webgl?.gpgpu) throw new Error('WebglFallback needs TF.js on WebGL');
    this.webgl = webgl;
    webgl.gpgpu.gl.canvas.addEventListener('webglcontextlost', () => {
      this.losses++;
      for (const wake of this.wakeOnLoss) wake();
    });
  }

  async run<T>(job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<T> {
    if (tf.getBackend() !== 'webgl') return job({ signal: cancel });
    // Lost while idle: no try on a context that is gone.
    let fault = this.lostSince(0) ? 'context-lost' : await this.tryOnWebgl(job, cancel);
    if (typeof fault === 'object') return fault.value;
    throwIfAborted(cancel);
    if (fault === 'out-of-memory') {
      const smaller = await this.tryOnWebgl((attempt) => job({ ...attempt, notice: SMALLER_TILES_NOTICE, tileScale: SMALLER_TILE_SCALE }), cancel);
      if (typeof smaller === 'object') return smaller.value;
      throwIfAborted(cancel);
      fault = smaller;
    }
    return this.retryOnCpu(fault, job, cancel);
  }

  private async tryOnWebgl<T>(job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<{ value: T } | GpuFault> {
    const attempt = new AbortController();
    const forwardCancel = () => attempt.abort();
    cancel.addEventListener('abort', forwardCancel, { once: true });
    const lossesBefore = this.losses;
    let wake = () => {};
    const lost = new Promise<typeof LOST>((resolve) => (wake = () => resolve(LOST)));
    this.wakeOnLoss.add(wake);
    try {
      // A read on a lost context never resolves: the loss event ends the wait.
      const value = await Promise.race([job({ signal: attempt.signal }), lost]);
      if (value === LOST || this.lostSince(lossesBefore)) return 'context-lost';
      return { value };
    } catch (error) {
      if (this.lostSince(lossesBefore)) return 'context-lost';
      if (!cancel.aborted && isGpuMemoryError(error)) return 'out-of-memory';
      throw error;
    } finally {
      this.wakeOnLoss.delete(wake);
      cancel.removeEventListener('abort', forwardCancel);
      attempt.abort(); // an abandoned try stops at its next checkpoint and reports nothing more
    }
  }

  private async retryOnCpu<T>(fault: GpuFault, job: (attempt: Attempt) => Promise<T>, cancel: AbortSignal): Promise<T> {
    if (fault === 'context-lost') stopFencePolling(this.webgl);
    if (!(await this.cpu.use())) {
      throw new PasticheError(
        'backend',
        fault === 'context-lost' ? 'The GPU stopped and the CPU could not take over. Close and reopen the plugin.' : 'Not enough GPU memory for this job, and the CPU could not take over. Try a smaller size.',
      );
    }
    // The GPU's copies of the weights are gone with its context.
    if (fault === 'context-lost') await this.cpu.releaseNetworks('webgl');
    try {
      return await job({ signal: cancel, notice: GPU_FAULT_NOTICE[fault] });
    } finally {
      if (fault === 'out-of-memory') {
        // The GPU still works for smaller jobs: back to it, and the WASM heap's weights freed for them.
        await this.cpu.releaseNetworks('wasm');
        await tf.setBackend('webgl');
      }
    }
  }

  private lostSince(lossesBefore: number): boolean {
    return this.losses > lossesBefore || this.webgl.gpgpu!.gl.isContextLost();
  }
}
