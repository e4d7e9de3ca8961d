// A TF.js kernel on the WASM backend whose work is one function of a hand-assembled WASM SIMD module
// (wasm-assembly.ts; simd-mask-module.ts, simd-tap-gather-module.ts, simd-max-pool-gradient-module.ts) that runs on
// the backend's own memory: it reads its inputs and writes its output where TF.js keeps them (by memory offset),
// with no copy in or out.
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's backend that such a kernel uses. */
export interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): tf.TensorInfo;
  /** Frees a kernel's scratch tensor (made with makeOutput, never handed to TF.js). */
  disposeData(dataId: object): boolean;
}

export interface SimdKernelDefinition<F> {
  /** The TF.js kernel's name. */
  name: string;
  /** The module's bytes, importing `env.memory` (shared when the backend's memory is: its threaded build). */
  module(sharedMemory: boolean): Uint8Array<ArrayBuffer>;
  /** The module's export that does the work. */
  exportName: string;
  /** The kernel, given the SIMD function bound to this backend's memory. */
  kernel(run: F, args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: WasmBackend }): tf.TensorInfo;
}

/** Where a tensor's data starts in the backend's memory. */
export function memoryOffset(backend: WasmBackend, tensor: tf.TensorInfo): number {
  return backend.dataIdMap.get(tensor.dataId).memoryOffset;
}

export interface SimdKernel {
  /** Whether it can run on the current backend (WASM, with SIMD), registering it the first time; where it cannot,
   *  the caller keeps its TF.js ops. */
  ready(): boolean;
  /** Runs it (only after `ready()` said yes), as one TF.js op. */
  run<T extends tf.Tensor>(inputs: tf.NamedTensorMap, attrs?: object): T;
}

/** A kernel of this kind (see SimdKernel). */
export function wasmSimdKernel<F>(definition: SimdKernelDefinition<F>): SimdKernel {
  // The SIMD function per WASM backend instance (each has its own memory), null where it cannot run.
  const functions = new WeakMap<object, F | null>();
  const functionFor = (backend: WasmBackend): F | null => {
    if (!functions.has(backend)) {
      let run: F | null = null;
      try {
        const memory = backend.wasm.asm.memory;
        const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
        const instance = new WebAssembly.Instance(new WebAssembly.Module(definition.module(shared)), { env: { memory } });
        run = instance.exports[definition.exportName] as unknown as F;
      } catch {
        // No SIMD in this browser: the caller's TF.js ops run instead.
      }
      functions.set(backend, run);
    }
    return functions.get(backend)!;
  };
  return {
    ready() {
      if (tf.getBackend() !== 'wasm') return false;
      const backend = tf.backend() as unknown as WasmBackend;
      if (!backend.wasm?.asm?.memory) return false;
      const run = functionFor(backend);
      if (!run) return false;
      if (!tf.getKernel(definition.name, 'wasm')) {
        const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) =>
          definition.kernel(functionFor(args.backend as WasmBackend)!, { ...args, backend: args.backend as WasmBackend });
        tf.registerKernel({ kernelName: definition.name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
      }
      return true;
    },
    run: <T extends tf.Tensor>(inputs: tf.NamedTensorMap, attrs: object = {}) => tf.engine().runKernel(definition.name, inputs, attrs as tf.NamedAttrMap) as T,
  };
}
