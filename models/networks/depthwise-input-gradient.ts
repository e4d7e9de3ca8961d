// The input gradient of a strided depthwise convolution (multiplier 1) on WASM as one SIMD gather pass
// (simd-tap-gather-module.ts, on the backend's own memory): each pixel of ∂L/∂x is the sum, channel by channel, of
// the few ∂L/∂y pixels whose windows cover it, each times its kernel tap:
//   ∂L/∂x[r, c] = Σ ∂L/∂y[m, q] · W[i, j]  over m·sh + i − ph = r, q·sw + j − pw = c (in range).
// For 3x3 stride 2 a pixel has 1, 2 or 4 taps (2.25 on average). Which taps, as byte offsets, is the same for every
// image of a shape: a table built once per geometry in JS (cached) and copied into the backend's memory per call.
//
// Why: the sub-pixel route (transposed-conv.ts) runs XNNPACK's square-window depthwise kernels, so it computes 4
// taps everywhere (zeros included) on ∂L/∂y copied sw times along channels, then interleaves the row phases: four
// passes over the gradient where this is one. Measured (WASM, every kernel timed, mean of 22 steps of MobileNetV2
// to block_6 at 256 px): block_1 (∂L/∂x [1,128,128,96]) 1.79 ms for the sub-pixel route's concat, two depthwise
// convolutions and stack, 0.55 ms here; block_3 ([1,64,64,144]) 0.20 ms here.
// Where it cannot run (another backend, no SIMD, channels not a multiple of 4, more than 4 taps a pixel), the
// sub-pixel route runs: stridedDepthwiseInputGradient is the one place that chooses.
import * as tf from '@tensorflow/tfjs';
import { simdTapGatherModule, TABLE_ENTRY_INTS } from './simd-tap-gather-module';
import { padBefore, subPixelDepthwiseTransposedConv, type ConvPadding } from './transposed-conv';
import { memoryOffset, wasmSimdKernel } from './wasm-simd-kernel';

const MAX_TAPS = 4;

type Gather = (dy: number, w: number, dx: number, table: number, count: number, pixelBytes: number) => void;

export interface DepthwiseGradientGeometry {
  /** The forward pass's input height and width. */
  height: number;
  width: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: ConvPadding;
}

/** The forward pass's output rows (or columns) and the padding before them, along one axis. */
function axis(size: number, kernel: number, stride: number, padding: ConvPadding) {
  const out = padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
  return { out, before: padBefore(size, kernel, stride, padding) };
}

/** Per input position along one axis, its taps: [position in ∂L/∂y, kernel tap]. */
function axisTaps(size: number, kernel: number, stride: number, padding: ConvPadding): Array<Array<[number, number]>> {
  const { out, before } = axis(size, kernel, stride, padding);
  return Array.from({ length: size }, (_, r) => {
    const taps: Array<[number, number]> = [];
    for (let i = 0; i < kernel; i++) {
      const t = r + before - i;
      if (t >= 0 && t % stride === 0 && t / stride < out) taps.push([t / stride, i]);
    }
    return taps;
  });
}

/** Tables by geometry, least recently used first; at most TABLE_CACHE_BYTES in all (a job meets a handful: one per
 *  strided layer, octave and tile size; 36 bytes a pixel, 2.4 MB for block_1 of a 512 px image). */
const tables = new Map<string, Int32Array | null>();
const TABLE_CACHE_BYTES = 32 << 20;
let tableBytes = 0;

/** The gather table of a geometry and channel count (see simd-tap-gather-module.ts), or null past MAX_TAPS. */
function tapTable(g: DepthwiseGradientGeometry, channels: number): Int32Array | null {
  const key = `${g.height}x${g.width} k${g.kernelSize} s${g.strides} ${g.padding} c${channels}`;
  const known = tables.get(key);
  if (known !== undefined) {
    tables.delete(key); // to the most recent end
    tables.set(key, known);
    return known;
  }
  const rows = axisTaps(g.height, g.kernelSize[0], g.strides[0], g.padding);
  const cols = axisTaps(g.width, g.kernelSize[1], g.strides[1], g.padding);
  const outW = axis(g.width, g.kernelSize[1], g.strides[1], g.padding).out;
  const pixelBytes = channels * 4;
  let table: Int32Array | null = new Int32Array(g.height * g.width * TABLE_ENTRY_INTS);
  fill: for (let r = 0; r < g.height; r++) {
    for (let c = 0; c < g.width; c++) {
      const entry = (r * g.width + c) * TABLE_ENTRY_INTS;
      const count = rows[r].length * cols[c].length;
      if (count > MAX_TAPS) {
        table = null;
        break fill;
      }
      table[entry] = count;
      let slot = entry + 1;
      for (const [m, i] of rows[r]) {
        for (const [q, j] of cols[c]) {
          table[slot++] = (m * outW + q) * pixelBytes;
          table[slot++] = (i * g.kernelSize[1] + j) * pixelBytes;
        }
      }
    }
  }
  tables.set(key, table);
  tableBytes += table?.byteLength ?? 0;
  for (const [oldest, t] of tables) {
    if (tableBytes <= TABLE_CACHE_BYTES || oldest === key) break;
    tables.delete(oldest);
    tableBytes -= t?.byteLength ?? 0;
  }
  return table;
}

const wasmGather = wasmSimdKernel<Gather>({
  name: 'PasticheDepthwiseInputGradient',
  module: simdTapGatherModule,
  exportName: 'gather',
  kernel(gather, { inputs, attrs, backend }) {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const geometry = attrs as unknown as DepthwiseGradientGeometry;
    const [n, outH, outW, channels] = dy.shape;
    const table = tapTable(geometry, channels)!;
    const dx = backend.makeOutput([n, geometry.height, geometry.width, channels], 'float32');
    const scratch = backend.makeOutput([table.length], 'int32');
    // Views made after the allocations: growing the memory replaces its buffer.
    new Int32Array(backend.wasm.asm.memory.buffer, memoryOffset(backend, scratch), table.length).set(table);
    const [dyAt, filterAt, dxAt, tableAt] = [dy, filter, dx, scratch].map((t) => memoryOffset(backend, t));
    const pixelBytes = channels * 4;
    for (let b = 0; b < n; b++) {
      gather(dyAt + b * outH * outW * pixelBytes, filterAt, dxAt + b * geometry.height * geometry.width * pixelBytes, tableAt, geometry.height * geometry.width, pixelBytes);
    }
    backend.disposeData(scratch.dataId);
    return dx;
  },
});

/** Whether depthwiseInputGradient can run here for this ∂L/∂y and geometry, registering its kernel the first time. */
export function fastDepthwiseInputGradientReady(dy: tf.Tensor4D, filter: tf.Tensor4D, g: DepthwiseGradientGeometry): boolean {
  const channels = dy.shape[3];
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32' || filter.shape[3] !== 1 || channels % 4 !== 0 || channels === 0) return false;
  // The backend first: no table is built where the kernel cannot run anyway.
  return g.height * g.width > 0 && wasmGather.ready() && tapTable(g, channels) !== null;
}

/** ∂L/∂x [n, height, width, C] of a depthwise convolution from ∂L/∂y; only where fastDepthwiseInputGradientReady said yes. */
export function depthwiseInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, g: DepthwiseGradientGeometry): tf.Tensor4D {
  return wasmGather.run({ dy, filter }, g);
}

/**
 * ∂L/∂x of a strided depthwise convolution (multiplier 1) of an input shaped `xShape`: the gather where it runs,
 * else the sub-pixel route with the caller's (cached) row-phase kernels, `phaseKernel(a)` = subPixelDepthwiseKernel.
 */
export function stridedDepthwiseInputGradient(
  dy: tf.Tensor4D,
  xShape: readonly number[],
  filter: tf.Tensor4D,
  strides: [number, number],
  padding: ConvPadding,
  phaseKernel: (a: number) => tf.Tensor4D,
): tf.Tensor4D {
  const kernelSize: [number, number] = [filter.shape[0], filter.shape[1]];
  const geometry: DepthwiseGradientGeometry = { height: xShape[1], width: xShape[2], kernelSize, strides, padding };
  if (fastDepthwiseInputGradientReady(dy, filter, geometry)) return depthwiseInputGradient(dy, filter, geometry);
  return subPixelDepthwiseTransposedConv(dy, xShape, kernelSize, strides, padding, phaseKernel);
}
