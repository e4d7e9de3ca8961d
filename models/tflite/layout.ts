// TFLite stores conv kernels output-channel first; TF.js wants them output-channel last.
//   CONV_2D            OHWI -> HWIO  (tf.conv2d filter [h, w, in, out])
//   DEPTHWISE_CONV_2D  1HWC -> HWC1  (tf.depthwiseConv2d filter [h, w, in, multiplier]; multiplier 1 here)

type Values = Float32Array | Uint8Array | Int8Array;

/** Generic row-major transpose: out[perm-permuted index] = in[index]; `perm[i]` is the input axis of output axis i. */
export function transpose<T extends Values>(values: T, shape: number[], perm: number[]): { values: T; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const outStrides = strides(outShape);
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < values.length; o++) {
    let rem = o;
    let src = 0;
    for (let i = 0; i < rank; i++) {
      index[i] = Math.floor(rem / outStrides[i]!);
      rem -= index[i]! * outStrides[i]!;
      src += index[i]! * inStrides[perm[i]!]!;
    }
    out[o] = values[src]!;
  }
  return { values: out, shape: outShape };
}

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** CONV_2D kernel [out, h, w, in] -> [h, w, in, out]. */
export function ohwiToHwio<T extends Values>(values: T, shape: number[]) {
  return transpose(values, shape, [1, 2, 3, 0]);
}

/** DEPTHWISE_CONV_2D kernel [1, h, w, channels*multiplier] -> [h, w, channels, multiplier]. */
export function depthwiseToHwc1<T extends Values>(values: T, shape: number[], multiplier = 1) {
  const [, h, w, cm] = shape as [number, number, number, number];
  // Memory order of 1HWC is already H, W, C*M: only the shape changes (C*M splits as C major, M minor).
  return { values, shape: [h, w, cm / multiplier, multiplier] };
}
