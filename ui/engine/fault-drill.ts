// Faults that a test, or someone debugging, can cause in a running engine to watch it survive them: the WebGL context
// lost (what a GPU driver reset does) and one GPU out-of-memory error. Only code running in the engine's own scope
// reaches them (devtools' console on the worker, a test driver's worker.evaluate); the UI never calls them, and
// until one is called they change nothing.
import * as tf from '@tensorflow/tfjs';
import { currentWebglBackend } from './webgl-internals';

export interface FaultDrill {
  /** The TF.js backend computing now ('webgl', 'wasm', ...): where a fault left the engine. */
  backend(): string;
  /** Loses the WebGL context TF.js computes on (WEBGL_lose_context); false when the engine is not on WebGL. */
  loseWebGLContext(): boolean;
  /** The next texture TF.js's WebGL backend allocates fails as exhausted GPU memory does (called twice: the next two);
   *  false when not on WebGL. */
  failNextGpuAllocation(): boolean;
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
    failNextGpuAllocation() {
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
