// The input gradient of a depthwise convolution, for optimizing an image through MobileNetV2 on WASM.
//
// tfjs-backend-wasm 4.22 has no DepthwiseConv2dNativeBackpropInput kernel: any gradient through MobileNetV2 there
// throws "Kernel 'DepthwiseConv2dNativeBackpropInput' not registered for backend 'wasm'". For a channel multiplier
// of 1 (every MobileNetV2 depthwise layer) the input gradient is itself a depthwise convolution: insert s−1 zeros
// between dy's samples (stride s), pad so the flipped kernel lines up with the forward padding, and correlate with
// the kernel flipped in space. Exact for 'same' and 'valid' padding and any stride; other configurations keep
// TF.js's own gradient. (Belongs beside optimize/conv-input-gradient.ts; it lives here until moved.)
import * as tf from '@tensorflow/tfjs';

let installed = false;

/** Installs the rewritten DepthwiseConv2dNative input gradient once per process (global registry). Idempotent. */
export function useDepthwiseInputGradient(): void {
  if (installed) return;
  const original = tf.getGradient('DepthwiseConv2dNative');
  if (!original) return;
  tf.registerGradient({
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: original.inputsToSave,
    gradFunc: (dy, saved, attrs) => {
      const grads = original.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as {
        strides: number | [number, number];
        pad: unknown;
        dilations?: number | [number, number];
        dimRoundingMode?: string;
      };
      const pair = (v: number | [number, number]) => (Array.isArray(v) ? v : [v, v]);
      const [sh, sw] = pair(strides);
      const [dh, dw] = pair(dilations ?? 1);
      if ((pad === 'same' || pad === 'valid') && dh === 1 && dw === 1 && filter.shape[3] === 1 && x.rank === 4 && !dimRoundingMode) {
        grads.x = () => depthwiseInputGradient(dy as tf.Tensor4D, filter, x.shape as [number, number, number, number], [sh, sw], pad);
      }
      return grads;
    },
  });
  installed = true;
}

/** ∂L/∂x of y = depthwiseConv2d(x, filter, strides, pad) given dy = ∂L/∂y (channel multiplier 1). */
export function depthwiseInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: [number, number, number, number],
  [sh, sw]: [number, number],
  pad: 'same' | 'valid',
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = dy.shape;
    const [, height, width] = xShape;
    const [kh, kw] = filter.shape;
    // Zero insertion: dy's sample i goes to position i·s (length (h−1)·s + 1).
    let up: tf.Tensor4D = dy;
    if (sh > 1 || sw > 1) {
      const spaced = tf.pad(tf.reshape(dy, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
      up = tf.slice(tf.reshape(spaced, [n, h * sh, w * sw, c]) as tf.Tensor4D, [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
    }
    const before = (size: number, out: number, k: number, s: number) => (pad === 'same' ? Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) : 0);
    const top = before(height, h, kh, sh);
    const left = before(width, w, kw, sw);
    const upH = up.shape[1];
    const upW = up.shape[2];
    // Output position p reads up[p + top − (k−1) .. p + top]: pad k−1−top before, and enough after for `size` outputs.
    const padded = tf.pad(up, [
      [0, 0],
      [kh - 1 - top, height + top - upH],
      [kw - 1 - left, width + left - upW],
      [0, 0],
    ]);
    return tf.depthwiseConv2d(padded, tf.reverse(filter, [0, 1]) as tf.Tensor4D, 1, 'valid');
  });
}
