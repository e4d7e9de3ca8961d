// tf.slice on WASM that reads its input where it lives, in contiguous runs.
//
// Why: tfjs-backend-wasm 4.22's Slice copies the WHOLE input out of the WASM heap into a new JS array
// (backend.readSync) before picking the slice out of it, pixel by pixel for an image (one TypedArray.set per pixel
// of 3 floats). A dream cuts ~100 tiles a step out of a 4096x2731 image: 100 copies of 134 MB a step, measured
// 21 s of a 49 s 4096 px step (plus the garbage collector's share), and the copies are what made memory grow with
// the image. Here the input is a view on the heap and each maximal contiguous run (a tile's row: width x channels
// floats) is one copy. String tensors keep the original kernel.
import * as tf from '@tensorflow/tfjs';

const MARK = '__pasticheHeapSlice';

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Copies the slice [begin, begin + size) of `src` (shape `shape`, row-major) into `dst`, one set() per run. */
export function copySlice(src: Float32Array | Int32Array | Uint8Array, shape: readonly number[], begin: readonly number[], size: readonly number[], dst: typeof src): void {
  const rank = shape.length;
  if (rank === 0) {
    dst.set(src);
    return;
  }
  const strides = tf.util.computeStrides([...shape]);
  const stride = (axis: number) => (axis === rank - 1 ? 1 : strides[axis]);
  // The outermost axis from which the slice is one contiguous run: every axis after it is taken whole.
  let runAxis = rank - 1;
  while (runAxis > 0 && begin[runAxis] === 0 && size[runAxis] === shape[runAxis]) runAxis--;
  const run = size[runAxis] * stride(runAxis);
  const outer = size.slice(0, runAxis);
  const count = outer.reduce((a, b) => a * b, 1);
  const index = new Array<number>(runAxis).fill(0);
  for (let i = 0, out = 0; i < count; i++, out += run) {
    let from = begin[runAxis] * stride(runAxis);
    for (let axis = 0; axis < runAxis; axis++) from += (begin[axis] + index[axis]) * stride(axis);
    dst.set(src.subarray(from, from + run), out);
    for (let axis = runAxis - 1; axis >= 0; axis--) {
      if (++index[axis] < outer[axis]) break;
      index[axis] = 0;
    }
  }
}

/** Replaces the WASM backend's Slice kernel (idempotent; other backends untouched). */
export function useHeapSlices(): void {
  const kernel = tf.getKernel('Slice', 'wasm');
  if (!kernel || (kernel as { [MARK]?: boolean })[MARK]) return;
  const original = kernel.kernelFunc;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    ...kernel,
    [MARK]: true,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return original(args);
      const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [start, extent] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
      const backend = args.backend as unknown as WasmBackend;
      const out = backend.makeOutput(extent, x.dtype);
      if (tf.util.sizeFromShape(extent) === 0) return out;
      // Views made after makeOutput: allocating may grow (and so replace) the heap's buffer.
      copySlice(backend.typedArrayFromHeap(x), x.shape, start, extent, backend.typedArrayFromHeap(out));
      return out;
    },
  } as tf.KernelConfig);
}
