// TF.js's WASM backend for the engine: where the GPU fails under a job (gpu-fallback.ts), or where there is no
// WebGL at all, the CPU runs the job through XNNPACK, 10-20x faster than TF.js's plain JS CPU backend. The plugin has
// no network, so the binary travels inside the bundle and is handed to TF.js as a blob: URL.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Only the SIMD build: every browser Figma runs in has WASM SIMD (Chrome 91, Safari 16.4, Firefox 89), and one
// binary keeps ui.html 0.4 MB smaller than shipping the plain one as well.
import simdBinary from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm' with { type: 'bytes' };
import { yieldOnReads } from './yield-on-read';

let pathsSet = false;

/** Puts TF.js on WASM (loading it on first use); false when it cannot start here. */
export async function useWasmBackend(): Promise<boolean> {
  if (tf.getBackend() === 'wasm') return true;
  try {
    if (!pathsSet) {
      const url = URL.createObjectURL(new Blob([simdBinary as Uint8Array<ArrayBuffer>], { type: 'application/wasm' }));
      // The threaded build needs cross-origin isolation, which a plugin iframe never has: one thread, and the SIMD
      // binary under every name TF.js may ask for.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      setWasmPaths({ 'tfjs-backend-wasm.wasm': url, 'tfjs-backend-wasm-simd.wasm': url, 'tfjs-backend-wasm-threaded-simd.wasm': url });
      pathsSet = true;
    }
    if (!(await tf.setBackend('wasm'))) return false;
    await tf.ready();
    yieldOnReads('wasm');
    return true;
  } catch {
    return false;
  }
}
