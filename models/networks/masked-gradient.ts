// The gradient through ReLU, ReLU6 and leaky ReLU from the layer's output y:
//   ∂L/∂z = ∂L/∂y where 0 < y < upper, ∂L/∂y · alpha elsewhere
// (ReLU: upper ∞, alpha 0; leaky ReLU: upper ∞, alpha > 0 — y > 0 exactly where z > 0; ReLU6: upper 6, alpha 0).
//
// Why a kernel: written as TF.js ops the ReLU6 mask takes four elementwise passes over the layer's largest tensors
// (dy · step(y · (6 − y))), a sixth of a MobileNetV2 gradient step. On WASM one SIMD pass (simd-mask-module.ts,
// running on the backend's own memory) does it: 1.8 ms instead of 5.9 ms for 256x256x96 floats. Other backends,
// and WASM without SIMD, use the TF.js ops, which give identical values (test: dream-fused-conv.test.ts).
import * as tf from '@tensorflow/tfjs';
import { simdMaskModule } from './simd-mask-module';

const KERNEL = 'PasticheMaskedGradient';

export interface OutputMask {
  /** Where the activation saturates (ReLU6: 6); Infinity for none. */
  upper: number;
  /** The slope below 0 (leaky ReLU); 0 for ReLU and ReLU6. Only with upper = Infinity. */
  alpha: number;
}

interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

type Mask = (y: number, dy: number, out: number, count: number, lo: number, hi: number, alpha: number) => void;

/** The SIMD function bound to the backend's memory, or null where the module cannot run (no SIMD). */
function instantiate(backend: WasmBackend): Mask | null {
  try {
    const memory = backend.wasm.asm.memory;
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(simdMaskModule(shared)), { env: { memory } });
    return instance.exports.mask as unknown as Mask;
  } catch {
    return null;
  }
}

/** The SIMD function per WASM backend instance (each has its own memory), null where it cannot run. */
const masks = new WeakMap<object, Mask | null>();

function maskFor(backend: WasmBackend): Mask | null {
  if (!masks.has(backend)) masks.set(backend, instantiate(backend));
  return masks.get(backend)!;
}

/** The WASM kernel: one pass of the SIMD function, the last count mod 4 floats in JS. */
function maskKernel({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const wasm = backend as WasmBackend;
  const mask = maskFor(wasm)!;
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const { upper, alpha } = attrs as unknown as OutputMask;
  const out = wasm.makeOutput([...y.shape], 'float32');
  const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId).memoryOffset;
  const count = tf.util.sizeFromShape(y.shape);
  const simdCount = count - (count % 4);
  mask(offset(y), offset(dy), offset(out), simdCount, 0, upper, alpha);
  // The last count mod 4 floats (none for the networks' channel counts), on a fresh view of the memory (growing it
  // replaces its buffer).
  if (simdCount < count) {
    const heap = new Float32Array(wasm.wasm.asm.memory.buffer);
    const [yAt, dyAt, outAt] = [offset(y) / 4, offset(dy) / 4, offset(out) / 4];
    for (let i = simdCount; i < count; i++) heap[outAt + i] = heap[yAt + i] > 0 && heap[yAt + i] < upper ? heap[dyAt + i] : heap[dyAt + i] * alpha;
  }
  return out;
}

/** Whether the current backend is WASM with the SIMD function ready (registering the kernel the first time). */
function wasmKernelReady(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const backend = tf.backend() as unknown as WasmBackend;
  if (!backend.wasm?.asm?.memory || !maskFor(backend)) return false;
  if (!tf.getKernel(KERNEL, 'wasm')) tf.registerKernel({ kernelName: KERNEL, backendName: 'wasm', kernelFunc: maskKernel as unknown as tf.KernelFunc });
  return true;
}

/** ∂L/∂z from ∂L/∂y and the activation's output y (same shapes, float32); see the header. */
export function maskedGradient(dy: tf.Tensor, y: tf.Tensor, { upper, alpha }: OutputMask): tf.Tensor {
  if (upper !== Infinity && alpha !== 0) throw new Error('maskedGradient: a slope below 0 only without an upper bound');
  if (wasmKernelReady()) {
    return tf.engine().runKernel(KERNEL, { dy, y }, { upper, alpha } as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  // The same values with TF.js ops: y (6 − y) > 0 exactly on 0 < y < 6 for y in [0, 6] (no such product rounds to 0).
  if (upper === Infinity) return tf.mul(dy, tf.step(y, alpha));
  return tf.mul(dy, tf.step(tf.mul(y, tf.sub(upper, y))));
}
