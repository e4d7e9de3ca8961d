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
import { memoryOffset, wasmSimdKernel } from './wasm-simd-kernel';

export interface OutputMask {
  /** Where the activation saturates (ReLU6: 6); Infinity for none. */
  upper: number;
  /** The slope below 0 (leaky ReLU); 0 for ReLU and ReLU6. Only with upper = Infinity. */
  alpha: number;
}

type Mask = (y: number, dy: number, out: number, count: number, lo: number, hi: number, alpha: number) => void;

/** One pass of the SIMD function; the last count mod 4 floats (none for the networks' channel counts) in JS. */
const wasmMask = wasmSimdKernel<Mask>({
  name: 'PasticheMaskedGradient',
  module: simdMaskModule,
  exportName: 'mask',
  kernel(mask, { inputs, attrs, backend }) {
    const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    const { upper, alpha } = attrs as unknown as OutputMask;
    const out = backend.makeOutput([...y.shape], 'float32');
    const [yAt, dyAt, outAt] = [y, dy, out].map((t) => memoryOffset(backend, t));
    const count = tf.util.sizeFromShape(y.shape);
    const simdCount = count - (count % 4);
    mask(yAt, dyAt, outAt, simdCount, 0, upper, alpha);
    if (simdCount < count) {
      // A fresh view of the memory: growing it replaces its buffer.
      const heap = new Float32Array(backend.wasm.asm.memory.buffer);
      for (let i = simdCount; i < count; i++) {
        const v = heap[yAt / 4 + i];
        heap[outAt / 4 + i] = v > 0 && v < upper ? heap[dyAt / 4 + i] : heap[dyAt / 4 + i] * alpha;
      }
    }
    return out;
  },
});

/** ∂L/∂z from ∂L/∂y and the activation's output y (same shapes, float32); see the header. */
export function maskedGradient(dy: tf.Tensor, y: tf.Tensor, { upper, alpha }: OutputMask): tf.Tensor {
  if (upper !== Infinity && alpha !== 0) throw new Error('maskedGradient: a slope below 0 only without an upper bound');
  if (wasmMask.ready()) {
    return wasmMask.run({ dy, y }, { upper, alpha });
  }
  // The same values with TF.js ops: y (6 − y) > 0 exactly on 0 < y < 6 for y in [0, 6] (no such product rounds to 0).
  if (upper === Infinity) return tf.mul(dy, tf.step(y, alpha));
  return tf.mul(dy, tf.step(tf.mul(y, tf.sub(upper, y))));
}
