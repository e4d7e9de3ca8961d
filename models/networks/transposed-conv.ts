// Transposed convolutions (the input gradient ∂L/∂x of a convolution, given ∂L/∂y) written as forward
// convolutions, which run through XNNPACK on WASM, instead of TF.js's backprop kernels (tfjs-backend-wasm 4.22 has
// no DepthwiseConv2dNativeBackpropInput at all, and its Conv2DBackpropInput is a plain loop).
//
// Two routes, both exact (tests: dream-fast-gradients.test.ts, dream-fused-conv.test.ts):
// - dilated (stride 1; any stride, but see below): insert stride−1 zeros between the values of ∂L/∂y, pad so that
//   the windows line up with the forward pass's "same"/"valid" padding, and run a stride-1 "valid" convolution with
//   the kernel flipped in space (input and output channels swapped for conv2d; the same channel for a depthwise
//   kernel with multiplier 1). For stride s it computes s² times the forward pass's outputs, mostly on zeros.
// - sub-pixel (stride > 1): each of the s² phases of the input (rows ≡ a, columns ≡ b mod s) is a stride-1
//   convolution of the undilated ∂L/∂y with the kernel taps of that phase, and the phases are interleaved. conv2d:
//   one convolution with s²·Cin output channels and a transpose (MobileNetV2's stem at 512 px, 3x3 stride 2,
//   32 -> 3 channels: 27 ms dilated, 6 ms sub-pixel plus 0.6 ms interleave); depthwise: one convolution per row
//   phase (block_1 at 512 px, 256x256x96: 9.5 ms dilated, 5.4 ms sub-pixel; on WASM with SIMD a gather pass does
//   it in one, depthwise-input-gradient.ts, and this route serves the other backends). Interleaving on activations avoids
//   5-D transposes: tfjs-backend-wasm's measured ~100x slower than 4-D (360 ms for 6M floats).
// Derivation of the sub-pixel route along one axis: with r + p = s·m + a (p the forward pass's padding before,
// 0 ≤ a < s) and D = ceil(k / s), ∂L/∂x[r] = Σ_{d<D} ∂L/∂y[m − d]·W[s·d + a], a stride-1 correlation of ∂L/∂y
// (padded D − 1 before) with the taps W[s·(D − 1 − t) + a], t = 0..D−1.
import * as tf from '@tensorflow/tfjs';

export type ConvPadding = 'same' | 'valid';
export type ConvKind = 'conv2d' | 'depthwise';
type ExplicitPadding = [[0, 0], [number, number], [number, number], [0, 0]];

/** Padding before the first input row of a forward pass ("same": TF's floor(total / 2); "valid": 0). */
export function padBefore(size: number, kernel: number, stride: number, pad: ConvPadding): number {
  if (pad === 'valid') return 0;
  const out = Math.ceil(size / stride);
  return Math.floor(Math.max((out - 1) * stride + kernel - size, 0) / 2);
}

/** Inserts stride−1 zeros after every value along height and width: [n,h,w,c] -> [n,h·sh,w·sw,c]. */
function dilate(dy: tf.Tensor4D, [sh, sw]: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = dy.shape;
  let x: tf.Tensor4D = dy;
  if (sw > 1) x = tf.reshape(tf.pad(tf.reshape(x, [n * h, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]), [n, h, w * sw, c]);
  if (sh > 1) x = tf.reshape(tf.pad(tf.reshape(x, [n, h, 1, w * sw * c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]), [n, h * sh, w * sw, c]);
  return x;
}

/**
 * ∂L/∂x of a forward convolution with input shape `xShape`, as a stride-1 convolution of the dilated ∂L/∂y with
 * explicit padding that lines its windows up with the forward pass's padding. `convolve` runs the flipped kernel
 * (see flipKernel; cached by the caller so that XNNPACK keeps its packed operator from step to step).
 */
export function dilatedTransposedConv(
  dy: tf.Tensor4D,
  xShape: readonly number[],
  kernelSize: [number, number],
  strides: [number, number],
  pad: ConvPadding,
  convolve: (u: tf.Tensor4D, padding: ExplicitPadding) => tf.Tensor4D,
): tf.Tensor4D {
  const [, height, width] = xShape;
  const [kh, kw] = kernelSize;
  const [sh, sw] = strides;
  let u = dilate(dy, strides);
  const before = [kh - 1 - padBefore(height, kh, sh, pad), kw - 1 - padBefore(width, kw, sw, pad)];
  // Rows the valid convolution must see: height + kh − 1 in all; what the dilated ∂L/∂y lacks is padded, extra is cut.
  const after = [height + kh - 1 - before[0] - u.shape[1], width + kw - 1 - before[1] - u.shape[2]];
  if (before[0] < 0 || before[1] < 0 || after[0] < 0 || after[1] < 0) {
    const start = [Math.max(-before[0], 0), Math.max(-before[1], 0)];
    u = tf.slice(u, [0, start[0], start[1], 0], [-1, u.shape[1] - start[0] - Math.max(-after[0], 0), u.shape[2] - start[1] - Math.max(-after[1], 0), -1]);
  }
  return convolve(u, [[0, 0], [Math.max(before[0], 0), Math.max(after[0], 0)], [Math.max(before[1], 0), Math.max(after[1], 0)], [0, 0]]);
}

/** The kernel of the dilated route: `filter` flipped in space (conv2d: input and output channels swapped too). */
export function flipKernel(filter: tf.Tensor4D, kind: ConvKind): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  // Reversing both spatial axes is reversing their flattened index (a 1D reverse: twice as fast on WASM); a 1x1
  // kernel needs none.
  const flipped = kh * kw === 1 ? filter : (tf.reshape(tf.reverse(tf.reshape(filter, [kh * kw, cin * cout]), 0), filter.shape) as tf.Tensor4D);
  if (kind === 'conv2d') return tf.transpose(flipped, [0, 1, 3, 2]) as tf.Tensor4D;
  // Never hand back `filter` itself: callers cache or dispose the result.
  return flipped === filter ? (tf.clone(filter) as tf.Tensor4D) : flipped;
}

/** Taps per phase along one axis: ceil(kernel / stride). */
const tapsPerPhase = (kernel: number, stride: number) => Math.ceil(kernel / stride);

/**
 * The kernel of the sub-pixel route for a conv2d kernel [kh,kw,Cin,Cout] and strides [sh,sw]:
 * [Dh,Dw,Cout,sh·sw·Cin] with D = ceil(k/s), output channel (a·sw + b)·Cin + c holding
 * K[th,tw,o,(a,b,c)] = W[sh·(Dh−1−th) + a, sw·(Dw−1−tw) + b, c, o], zero where that tap lies outside the kernel.
 */
export function subPixelKernel(filter: tf.Tensor4D, [sh, sw]: [number, number]): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const [dh, dw] = [tapsPerPhase(kh, sh), tapsPerPhase(kw, sw)];
  return tf.tidy(() => {
    const padded = tf.pad(filter, [[0, dh * sh - kh], [0, dw * sw - kw], [0, 0], [0, 0]]);
    // [d_h, a, d_w, (b, c), o]: the kernel row is sh·d_h + a, the column sw·d_w + b.
    const split = tf.reshape(padded, [dh, sh, dw, sw * cin, cout]);
    // t = D − 1 − d on axes 0 and 2, one axis at a time through rank-2/3 views: WebGL reverses tensors up to rank 4.
    const rowsReversed = tf.reshape(tf.reverse(tf.reshape(split, [dh, sh * dw * sw * cin * cout]), 0), split.shape);
    const reversed = tf.reshape(tf.reverse(tf.reshape(rowsReversed, [dh * sh, dw, sw * cin * cout]), 1), split.shape);
    return tf.reshape(tf.transpose(reversed, [0, 2, 4, 1, 3]), [dh, dw, cout, sh * sw * cin]) as tf.Tensor4D;
  });
}

/** ∂L/∂x of a strided conv2d with input shape `xShape`, by the sub-pixel route (`kernel`: subPixelKernel). */
export function subPixelTransposedConv(
  dy: tf.Tensor4D,
  xShape: readonly number[],
  kernelSize: [number, number],
  strides: [number, number],
  pad: ConvPadding,
  kernel: tf.Tensor4D,
): tf.Tensor4D {
  const [n, outH, outW] = dy.shape;
  const [, height, width, cin] = xShape;
  const [kh, kw] = kernelSize;
  const [sh, sw] = strides;
  const [dh, dw] = [tapsPerPhase(kh, sh), tapsPerPhase(kw, sw)];
  const [ph, pw] = [padBefore(height, kh, sh, pad), padBefore(width, kw, sw, pad)];
  // Phase rows m = 0 .. ceil((height + p) / s) − 1 cover every input row; ∂L/∂y has outH of them.
  const afterH = Math.max(Math.ceil((height + ph) / sh) - outH, 0);
  const afterW = Math.max(Math.ceil((width + pw) / sw) - outW, 0);
  const phases = tf.conv2d(dy, kernel, 1, [[0, 0], [dh - 1, afterH], [dw - 1, afterW], [0, 0]]);
  const [rows, cols] = [outH + afterH, outW + afterW];
  // [n·rows, cols, a, (b, c)] -> [n·rows, a, cols, (b, c)]: row s·m + a, column s·j + b.
  const interleaved = tf.reshape(tf.transpose(tf.reshape(phases, [n * rows, cols, sh, sw * cin]), [0, 2, 1, 3]), [n, rows * sh, cols * sw, cin]) as tf.Tensor4D;
  if (ph === 0 && pw === 0 && rows * sh === height && cols * sw === width) return interleaved;
  return tf.slice(interleaved, [0, ph, pw, 0], [n, height, width, cin]);
}

/**
 * The kernel of row phase a of the sub-pixel route for a depthwise kernel [kh,kw,C,1]: [Dh,Dw,sw·C,1], channel
 * b·C + c holding K[th,tw,c] = W[sh·(Dh−1−th) + a, sw·(Dw−1−tw) + b, c] (zero where that tap lies outside the
 * kernel), to be run over ∂L/∂y tiled sw times along channels. Every phase keeps the full Dh×Dw window: XNNPACK has
 * fast depthwise kernels for square windows only (measured at 128x128x96: 2x2 0.7 ms, 2x1 8 ms).
 */
export function subPixelDepthwiseKernel(filter: tf.Tensor4D, [sh, sw]: [number, number], a: number): tf.Tensor4D {
  const [kh, kw, channels] = filter.shape;
  const [dh, dw] = [tapsPerPhase(kh, sh), tapsPerPhase(kw, sw)];
  return tf.tidy(() => {
    const padded = tf.pad(filter, [[0, dh * sh - kh], [0, dw * sw - kw], [0, 0], [0, 0]]);
    const phases = Array.from({ length: sw }, (_, b) => tf.reverse(tf.stridedSlice(padded, [a, b, 0, 0], [dh * sh, dw * sw, channels, 1], [sh, sw, 1, 1]) as tf.Tensor4D, [0, 1]));
    return tf.concat(phases, 2);
  });
}

/**
 * ∂L/∂x of a strided depthwise convolution (multiplier 1) with input shape `xShape`, by the sub-pixel route. Per row
 * phase a, one stride-1 depthwise convolution of ∂L/∂y tiled sw times along channels (`kernel(a)`:
 * subPixelDepthwiseKernel) computes the column phases side by side in each pixel's channels, which is already
 * their interleaved order: [n, rows, cols, (b, C)] is [n, rows, cols·sw, C]. The row phases are then stacked whole
 * rows at a time. (One convolution per phase and a transpose to interleave took 6.7 ms for block_1 at 512 px, this
 * 5.4 ms.)
 */
export function subPixelDepthwiseTransposedConv(
  dy: tf.Tensor4D,
  xShape: readonly number[],
  kernelSize: [number, number],
  strides: [number, number],
  pad: ConvPadding,
  kernel: (a: number) => tf.Tensor4D,
): tf.Tensor4D {
  const [n, outH, outW, channels] = dy.shape;
  const [, height, width] = xShape;
  const [kh, kw] = kernelSize;
  const [sh, sw] = strides;
  const [dh, dw] = [tapsPerPhase(kh, sh), tapsPerPhase(kw, sw)];
  const [ph, pw] = [padBefore(height, kh, sh, pad), padBefore(width, kw, sw, pad)];
  const afterH = Math.max(Math.ceil((height + ph) / sh) - outH, 0);
  const afterW = Math.max(Math.ceil((width + pw) / sw) - outW, 0);
  const [rows, cols] = [outH + afterH, outW + afterW];
  const padding: ExplicitPadding = [[0, 0], [dh - 1, afterH], [dw - 1, afterW], [0, 0]];
  // (tf.concat, not tf.tile: tfjs-backend-wasm's Tile measured 136 ms where this concat takes ~1 ms.)
  const tiled = sw === 1 ? dy : tf.concat(Array.from({ length: sw }, () => dy), 3);
  const phaseRows = Array.from({ length: sh }, (_, a) => tf.reshape(tf.depthwiseConv2d(tiled, kernel(a), 1, padding), [n, rows, cols * sw, channels]) as tf.Tensor4D);
  const interleaved = sh === 1 ? phaseRows[0] : (tf.reshape(tf.stack(phaseRows, 2), [n, rows * sh, cols * sw, channels]) as tf.Tensor4D);
  if (ph === 0 && pw === 0 && rows * sh === height && cols * sw === width) return interleaved;
  return tf.slice(interleaved, [0, ph, pw, 0], [n, height, width, channels]);
}
