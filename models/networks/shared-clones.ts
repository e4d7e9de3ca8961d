// tf.clone on WASM as a shared reference instead of a copy.
//
// Why: a gradient tape keeps the tensors each op's backward pass needs by cloning them (tfjs-core's
// saveTensorsForBackwardMode and customGrad's save), and tfjs-backend-wasm 4.22's Identity kernel copies the data,
// one full memory pass per saved tensor (measured: 112 copies, 13 ms of a 180 ms MobileNetV2 gradient at 512 px).
// The copy also trips tfjs-core's leak check in test mode (IS_TEST) when a customGrad op saves a tensor: the copy is
// a data buffer the op did not return.
// TF.js tensors are immutable, so the CPU and WebGL backends implement Identity by sharing the data with a
// reference count, and WASM's own Reshape already shares data the same way (incRef): this does the same for
// Identity. String tensors keep the original kernel.
import * as tf from '@tensorflow/tfjs';

const SHARED = '__pasticheSharedIdentity';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

let installed = false;

/** Replaces the WASM backend's Identity kernel by a data-sharing one (idempotent; other backends untouched). */
export function useSharedClones(): void {
  if (installed) return;
  const kernel = tf.getKernel('Identity', 'wasm');
  if (kernel) installed = true; // (the WASM backend's kernels register when its module loads)
  if (!kernel || (kernel as { [SHARED]?: boolean })[SHARED]) return;
  const copy = kernel.kernelFunc;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...kernel,
    [SHARED]: true,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return copy(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  } as tf.KernelConfig);
}
