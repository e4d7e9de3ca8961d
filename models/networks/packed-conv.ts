// A stride-1 VALID convolution with few output channels, computed on a width-packed layout: f neighbouring columns
// of the input become one column of f·Cin channels (a reshape of NHWC: no copy), the kernel is rearranged so that
// each packed output column holds f neighbouring output pixels (f·Cout channels), and the output is reshaped back.
//
// Why: XNNPACK's f32 convolution kernels compute output channels 8 at a time, so a 3-channel output (Magenta's last
// layer, 9x9 over 8 channels) pays for 8 and runs at 3/8 of its speed: 36 ms of the transformer's ~130 ms at 384 px.
// Packing 2 columns makes 6 output channels over a 9x5 window of 16 channels: 11% more multiply-adds, but 6 of
// every 8 lanes used instead of 3.
//
// Derivation, along the width: output column f·j + b (0 ≤ b < f) is Σ_t x[f·j + b + t]·W[t], t < kw. With
// x[f·j + b + t] = packed[j + u][p] where f·u + p = b + t, the packed kernel is K[u][(p, ci)][(b, co)] =
// W[f·u + p − b][ci][co] where 0 ≤ f·u + p − b < kw, else 0, over u < ceil((kw + f − 1) / f) packed columns.
import * as tf from '@tensorflow/tfjs';

/** Packed columns a window spans for kernel width `kw` and packing `f`. */
const packedTaps = (kw: number, f: number) => Math.ceil((kw + f - 1) / f);

/** The kernel [kh, kw, Cin, Cout] rearranged for packing `f`: [kh, ceil((kw + f − 1) / f), f·Cin, f·Cout]. */
export function packedKernel(filter: tf.Tensor4D, f: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const taps = packedTaps(kw, f);
  const source = filter.arraySync();
  const packed = new Float32Array(kh * taps * f * cin * f * cout);
  for (let r = 0; r < kh; r++)
    for (let u = 0; u < taps; u++)
      for (let p = 0; p < f; p++)
        for (let b = 0; b < f; b++) {
          const t = f * u + p - b;
          if (t < 0 || t >= kw) continue;
          for (let ci = 0; ci < cin; ci++)
            for (let co = 0; co < cout; co++) packed[(((r * taps + u) * f + p) * cin + ci) * f * cout + b * cout + co] = source[r][t][ci][co];
        }
  return tf.tensor4d(packed, [kh, taps, f * cin, f * cout]);
}

/**
 * activation(conv(x, filter, VALID, stride 1) + bias) through `kernel` = packedKernel(filter, f) (`kernelWidth` =
 * the original kw) and `packedBias` = the bias repeated f times (made once: XNNPACK keeps an operator per kernel and
 * bias tensor). The input is padded on the right to a whole number of packed columns when it is not one.
 */
export function packedConv(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  kernelWidth: number,
  f: number,
  packedBias: tf.Tensor1D | undefined,
  activation: tf.fused.Activation,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, cin] = x.shape;
    const cout = kernel.shape[3] / f;
    const outWidth = w - kernelWidth + 1;
    const columns = Math.ceil(outWidth / f); // packed output columns
    const inputColumns = columns + kernel.shape[1] - 1; // packed input columns the VALID convolution needs
    const padded = f * inputColumns > w ? tf.pad(x, [[0, 0], [0, 0], [0, f * inputColumns - w], [0, 0]]) : f * inputColumns < w ? tf.slice(x, [0, 0, 0, 0], [n, h, f * inputColumns, cin]) : x;
    const y = tf.fused.conv2d({ x: tf.reshape(padded, [n, h, inputColumns, f * cin]) as tf.Tensor4D, filter: kernel, strides: 1, pad: 'valid', bias: packedBias, activation });
    const unpacked = tf.reshape(y, [n, y.shape[1], columns * f, cout]) as tf.Tensor4D;
    return columns * f === outWidth ? unpacked : (tf.slice(unpacked, [0, 0, 0, 0], [n, unpacked.shape[1], outWidth, cout]) as tf.Tensor4D);
  });
}
