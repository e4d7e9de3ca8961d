// What the GPU fallback (gpu-fallback.ts) watches on the GPU backend TF.js computes on, one implementation per
// backend: WebGL tells a lost context by an event and exhausted memory by exceptions (TF.js's GL error checks);
// WebGPU tells a lost device by a promise and exhausted memory by `uncapturederror` events only (a buffer that could
// not be allocated is an invalid object: the work using it is dropped and reads give zeros, nothing throws).
import type { BackendCalibration } from '../../plugin/messages';
import { currentWebglBackend, stopFencePolling } from './webgl-internals';
import { currentWebgpuBackend, type GpuUncapturedError } from './webgpu-internals';
import { forgetDevice } from './webgpu-backend';

export interface GpuWatch {
  /** The TF.js backend watched. */
  readonly backend: BackendCalibration['gpu'];
  /** Losses of the GPU (WebGL context, WebGPU device) so far: a try compares the count before and after. */
  losses(): number;
  /** Whether the GPU is lost now. */
  isLost(): boolean;
  /** Calls `listener` at each loss: a read on a lost GPU may never resolve, so a try stops waiting then. */
  onLoss(listener: () => void): () => void;
  /** Out-of-memory errors the GPU reported so far, once the work queued until now has run (0 where they throw). */
  memoryErrors(): Promise<number>;
  /** Whether a failed try's error says the GPU is gone (WebGPU: a destroyed device rejects reads and may never
   *  resolve `lost`, measured in Chromium 156). */
  isLossError(error: unknown): boolean;
  /** After a loss: stops what still waits on the dead GPU. */
  afterLoss(): void;
}

/** What Chromium's WebGPU says to a read on a device destroyed or lost under it. */
const WEBGPU_LOSS_ERROR = /device (is |was )?lost|destroyed|unmapped before mapping was resolved|Instance reference no longer exists/i;

/** How long a try waits for the GPU to finish its queue before looking at the errors it reported: a lost device
 *  (which may never say so) must not hold the job. */
const QUEUE_WAIT_MS = 2_000;

/** A watch over the GPU backend TF.js computes on now, or null when it is on none. */
export function watchCurrentGpu(): GpuWatch | null {
  return watchWebgl() ?? watchWebgpu();
}

function watchWebgl(): GpuWatch | null {
  const webgl = currentWebglBackend();
  if (!webgl?.gpgpu) return null;
  const { gl } = webgl.gpgpu;
  const listeners = new Set<() => void>();
  let losses = 0;
  gl.canvas.addEventListener('webglcontextlost', () => {
    losses++;
    for (const listener of listeners) listener();
  });
  return {
    backend: 'webgl',
    losses: () => losses,
    isLost: () => gl.isContextLost(),
    onLoss: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    // TF.js's WebGL backend checks GL errors and throws "OUT_OF_MEMORY" itself.
    memoryErrors: async () => 0,
    isLossError: () => false,
    afterLoss: () => stopFencePolling(webgl),
  };
}

function watchWebgpu(): GpuWatch | null {
  const device = currentWebgpuBackend()?.device;
  if (!device) return null;
  const listeners = new Set<() => void>();
  let lost = false;
  let memoryErrors = 0;
  void device.lost.then(() => {
    lost = true;
    for (const listener of listeners) listener();
  });
  device.addEventListener('uncapturederror', (event) => {
    if ((event as GpuUncapturedError).error.constructor.name === 'GPUOutOfMemoryError') memoryErrors++;
  });
  return {
    backend: 'webgpu',
    losses: () => (lost ? 1 : 0),
    isLost: () => lost,
    onLoss: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    async memoryErrors() {
      // The errors of the work submitted so far arrive before the queue says it is done with it.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUEUE_WAIT_MS)));
      if (!lost) await Promise.race([device.queue.onSubmittedWorkDone().catch(() => undefined), timeout]);
      clearTimeout(timer);
      return memoryErrors;
    },
    isLossError: (error) => WEBGPU_LOSS_ERROR.test(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    // TF.js's WebGPU backend polls nothing: its pending reads reject or stay pending, abandoned with their tries. The
    // device is never used again in this engine.
    afterLoss: () => {
      lost = true;
      forgetDevice(device);
    },
  };
}
