// The few parts of TF.js's WebGL backend that the engine reaches into, typed in one place: its WebGL context (to
// watch for context loss), its fence polling (to stop after a loss) and its texture manager (for the fault drill).
import * as tf from '@tensorflow/tfjs';

export interface WebglBackendInternals {
  gpgpu?: {
    gl: WebGL2RenderingContext;
    /** Reads waiting on GPU fences: on a lost context no fence ever passes, and TF.js polls them forever. */
    itemsToPoll?: unknown[];
  };
  /** Every new tensor on the GPU takes its texture from `acquireTexture`. */
  textureManager?: { acquireTexture(...args: unknown[]): unknown };
}

/** TF.js's WebGL backend when it is the one computing now, else null. */
export function currentWebglBackend(): WebglBackendInternals | null {
  return tf.getBackend() === 'webgl' ? (tf.backend() as unknown as WebglBackendInternals) : null;
}

/** After a context loss: TF.js's reads waiting on GPU fences can never finish, so its polling loop (a timer every few
 *  milliseconds, for good) is emptied. The reads stay pending; the jobs that awaited them were abandoned already. */
export function stopFencePolling(backend: WebglBackendInternals): void {
  if (backend.gpgpu?.itemsToPoll) backend.gpgpu.itemsToPoll = [];
}
