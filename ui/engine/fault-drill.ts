// Faults that a test, or someone debugging, can cause in a running engine to watch it survive them: the WebGL context
// or the WebGPU device lost (what a GPU driver reset does) and one GPU out-of-memory error. Only code running in the engine's own scope
// reaches them (devtools' console on the worker, a test driver's worker.evaluate); the UI never calls them, and
// until one is called they change nothing.
import * as tf from '@tensorflow/tfjs';
import { currentWebglBackend } from './webgl-internals';
import { currentWebgpuBackend, type WebgpuBackendInternals } from './webgpu-internals';

export interface FaultDrill {
  /** The TF.js backend computing now ('webgpu', 'webgl', 'wasm', ...): where a fault left the engine. */
  backend(): string;
  /** Loses the WebGL context TF.js computes on (WEBGL_lose_context); false when the engine is not on WebGL. */
  loseWebGLContext(): boolean;
  /** Destroys the WebGPU device TF.js computes on (its `lost` promise resolves, as after a driver reset); false when the
   *  engine is not on WebGPU. */
  loseWebGPUDevice(): boolean;
  /** The next texture (WebGL) or buffer (WebGPU) TF.js allocates fails as exhausted GPU memory does, with an exception
   *  (called twice: the next two); false when not on a GPU. */
  failNextGpuAllocation(): boolean;
  /** The next buffer TF.js's WebGPU backend allocates is reported out of memory the way WebGPU mostly reports it: an
   *  `uncapturederror` event, no exception (once); false when not on WebGPU. */
  reportGpuOutOfMemory(): boolean;
}

/** The global the drill is found under. */
export const FAULT_DRILL_GLOBAL = 'pasticheFaultDrill';

export function installFaultDrill(scope: object = globalThis): void {
  let pendingFailures = 0;
  const drill: FaultDrill = {
    backend: () => tf.getBackend(),
    loseWebGLContext() {
      const gl = currentWebglBackend()?.gpgpu?.gl;
      const extension = gl?.getExtension('WEBGL_lose_context');
      extension?.loseContext();
      return Boolean(extension);
    },
    loseWebGPUDevice() {
      const device = currentWebgpuBackend()?.device;
      device?.destroy();
      return Boolean(device);
    },
    reportGpuOutOfMemory() {
      const webgpu = currentWebgpuBackend();
      if (webgpu) reportOutOfMemoryAtNextBuffer(webgpu);
      return Boolean(webgpu);
    },
    failNextGpuAllocation() {
      const webgpu = currentWebgpuBackend();
      if (webgpu) {
        // Each call adds one failure, as on WebGL.
        pendingFailures++;
        if (pendingFailures > 1) return true;
        const buffers = webgpu.bufferManager;
        const acquire = buffers.acquireBuffer;
        buffers.acquireBuffer = () => {
          if (--pendingFailures === 0) buffers.acquireBuffer = acquire;
          // What Chromium throws when a buffer mapped at creation (TF.js uploads through those) cannot be allocated.
          throw new RangeError("Failed to execute 'createBuffer' on 'GPUDevice': createBuffer failed, size is too large for the implementation when mappedAtCreation == true (simulated by the fault drill)");
        };
        return true;
      }
      const textures = currentWebglBackend()?.textureManager;
      if (!textures) return false;
      // Each call adds one failure: two calls fail the job's try on the GPU and its retry in smaller tiles.
      pendingFailures++;
      if (pendingFailures > 1) return true;
      const acquire = textures.acquireTexture;
      textures.acquireTexture = () => {
        if (--pendingFailures === 0) textures.acquireTexture = acquire;
        // The text TF.js's own GL error check gives for GL_OUT_OF_MEMORY.
        throw new Error('WebGL Error: OUT_OF_MEMORY (simulated by the fault drill)');
      };
      return true;
    },
  };
  Object.assign(scope, { [FAULT_DRILL_GLOBAL]: drill });
}

/**
 * WebGPU mostly does not throw for exhausted memory: the buffer it could not allocate is invalid, and the device
 * reports a GPUOutOfMemoryError as an `uncapturederror` event. So the next buffer TF.js acquires is reported so (a
 * real GPUOutOfMemoryError in a real event) while the work goes on, as on a real GPU.
 */
function reportOutOfMemoryAtNextBuffer(webgpu: WebgpuBackendInternals): void {
  const buffers = webgpu.bufferManager;
  const acquire = buffers.acquireBuffer;
  buffers.acquireBuffer = (...args: unknown[]) => {
    buffers.acquireBuffer = acquire;
    const scope = globalThis as unknown as {
      GPUOutOfMemoryError: new (message: string) => object;
      GPUUncapturedErrorEvent: new (type: string, init: { error: object }) => Event;
    };
    const error = new scope.GPUOutOfMemoryError('Out of memory (simulated by the fault drill)');
    webgpu.device.dispatchEvent(new scope.GPUUncapturedErrorEvent('uncapturederror', { error }));
    return acquire.apply(buffers, args);
  };
}
