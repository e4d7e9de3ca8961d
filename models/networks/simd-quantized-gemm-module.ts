// A WebAssembly module of one SIMD function, assembled here byte by byte (wasm-assembly.ts): the 1x1 convolution of
// a quantized network on integers, as TFLite's uint8/int8 kernels compute it (why: quantized-kernels.ts).
//
//   pointwise(x, w, bias, scale, out, pixels, kBytes, blocks, lo, hi)   // addresses are byte offsets into memory
//
// x: `pixels` rows of K int16 (an activation minus its zero point), kBytes = 2K, K a multiple of 4. w: the kernel
// minus its zero point as int16, packed by packPointwiseKernel: for each block of 8 output channels, for each pair
// of input channels, 16 int16 [w(n,2j), w(n,2j+1)] for n = 8b..8b+7 (32 bytes). For every pixel and output channel:
//   level = clamp(nearest(float(Σ_k x·w + bias[n]) · scale[n]), lo, hi)         (bias int32, scale float32)
// written as int16 (`output: 'int16'`, the next layer's integers) or float32 (the same integers as floats, for
// XNNPACK's float kernels, which add and multiply them exactly). Pixels go 4 at a time (rows past the last repeat
// it: the same value is written twice); for each, 8 output channels at a time in 8 int32x4 accumulators
// (i32x4.dot_i16x8_s: eight multiply-adds an instruction where float32 does four), two input pairs per loop.
// Text form (WebAssembly text format, for review; $r is 0..3, $h is 0..1, all unrolled):
//
//   (func (param $x $w $bias $scale $out $pixels $kBytes $blocks $lo $hi i32)
//         (local $p $x0..$x3 $o0..$o3 $wp $nb $i $row $end i32) (local $acc0..$acc7 $w0 $w1 $s $vlo $vhi v128)
//     $vlo = i32x4.splat $lo; $vhi = i32x4.splat $hi; $row = $blocks << (4 | 5); $end = $blocks << 5; $p = 0
//     (loop $pixels
//       $x$r = $x + min($p + $r, $pixels - 1) * $kBytes; $o$r = $out + min($p + $r, $pixels - 1) * $row
//       $wp = $w; $nb = 0
//       (loop $blocks
//         $acc0..$acc7 = 0; $i = 0
//         (loop $k
//           for $u in 0,1:  $w0 = v128.load offset=32u ($wp); $w1 = v128.load offset=32u+16 ($wp)
//             $s = v128.load32_splat offset=4u ($x$r + $i)
//             $acc{2r} += i32x4.dot_i16x8_s($s, $w0); $acc{2r+1} += i32x4.dot_i16x8_s($s, $w1)
//           $wp += 64; (br_if $k ((local.tee $i (i32.add $i 8)) <u $kBytes)))
//         level$h = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(
//                     f32x4.convert_i32x4_s(i32x4.add($acc{2r+h}, v128.load offset=16h ($bias + $nb))),
//                     v128.load offset=16h ($scale + $nb)))), $vlo), $vhi)
//         int16:   v128.store ($o$r + $nb / 2) (i16x8.narrow_i32x4_s level0 level1)
//         float32: v128.store offset=16h ($o$r + $nb) (f32x4.convert_i32x4_s level$h)
//         (br_if $blocks ((local.tee $nb (i32.add $nb 32)) <u $end)))
//       (br_if $pixels ((local.tee $p (i32.add $p 4)) <u $pixels)))
import {
  I32,
  V128,
  brIf,
  end,
  f32x4ConvertI32x4S,
  f32x4Mul,
  f32x4Nearest,
  functionModule,
  get,
  i16x8NarrowI32x4S,
  i32Add,
  i32Const,
  i32LtU,
  i32Mul,
  i32Shl,
  i32ShrU,
  i32Sub,
  i32x4Add,
  i32x4DotI16x8S,
  i32x4MaxS,
  i32x4MinS,
  i32x4Splat,
  i32x4TruncSatF32x4S,
  loop,
  select,
  set,
  tee,
  v128Const,
  v128Load32Splat,
  v128LoadAt,
  v128StoreAt,
} from './wasm-assembly';

export type QuantizedOutput = 'int16' | 'float32';

// Parameters.
const [X, W, BIAS, SCALE, OUT, PIXELS, K_BYTES, BLOCKS, LO, HI] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
// i32 locals.
const P = 10;
const XR = (r: number) => 11 + r;
const OR = (r: number) => 15 + r;
const [WP, NB, I, ROW, END] = [19, 20, 21, 22, 23];
// v128 locals.
const ACC = (j: number) => 24 + j;
const [W0, W1, S, VLO, VHI] = [32, 33, 34, 35, 36];

/** The row r of the group: min(p + r, pixels - 1), its address in `base` with rows of `rowBytes` into `target`. */
const rowAddress = (r: number, base: number, rowBytes: number, target: number) => [
  ...get(base),
  ...get(P), ...i32Const(r), i32Add, ...get(PIXELS), ...i32Const(1), i32Sub,
  ...get(P), ...i32Const(r), i32Add, ...get(PIXELS), i32LtU, select,
  ...get(rowBytes), i32Mul, i32Add, ...set(target),
];

/** Input pair u of this loop step into the 8 accumulators. */
const pairStep = (u: number) => [
  ...get(WP), ...v128LoadAt(32 * u), ...set(W0),
  ...get(WP), ...v128LoadAt(32 * u + 16), ...set(W1),
  ...[0, 1, 2, 3].flatMap((r) => [
    ...get(XR(r)), ...get(I), i32Add, ...v128Load32Splat(4 * u), ...set(S),
    ...get(ACC(2 * r)), ...get(S), ...get(W0), ...i32x4DotI16x8S, ...i32x4Add, ...set(ACC(2 * r)),
    ...get(ACC(2 * r + 1)), ...get(S), ...get(W1), ...i32x4DotI16x8S, ...i32x4Add, ...set(ACC(2 * r + 1)),
  ]),
];

/** The clamped output levels of accumulator 2r + h (4 int32 lanes) on the stack. */
const level = (r: number, h: number) => [
  ...get(ACC(2 * r + h)), ...get(BIAS), ...get(NB), i32Add, ...v128LoadAt(16 * h), ...i32x4Add, ...f32x4ConvertI32x4S,
  ...get(SCALE), ...get(NB), i32Add, ...v128LoadAt(16 * h), ...f32x4Mul,
  ...f32x4Nearest, ...i32x4TruncSatF32x4S, ...get(VLO), ...i32x4MaxS, ...get(VHI), ...i32x4MinS,
];

const store = (r: number, output: QuantizedOutput) =>
  output === 'int16'
    ? [...get(OR(r)), ...get(NB), ...i32Const(1), i32ShrU, i32Add, ...level(r, 0), ...level(r, 1), ...i16x8NarrowI32x4S, ...v128StoreAt(0)]
    : [0, 1].flatMap((h) => [...get(OR(r)), ...get(NB), i32Add, ...level(r, h), ...f32x4ConvertI32x4S, ...v128StoreAt(16 * h)]);

// prettier-ignore
const body = (output: QuantizedOutput) => [
  ...get(LO), ...i32x4Splat, ...set(VLO),
  ...get(HI), ...i32x4Splat, ...set(VHI),
  ...get(BLOCKS), ...i32Const(output === 'int16' ? 4 : 5), i32Shl, ...set(ROW),
  ...get(BLOCKS), ...i32Const(5), i32Shl, ...set(END),
  ...i32Const(0), ...set(P),
  ...loop,
  ...[0, 1, 2, 3].flatMap((r) => [...rowAddress(r, X, K_BYTES, XR(r)), ...rowAddress(r, OUT, ROW, OR(r))]),
  ...get(W), ...set(WP),
  ...i32Const(0), ...set(NB),
  ...loop,
  ...Array.from({ length: 8 }, (_, j) => [...v128Const(0), ...set(ACC(j))]).flat(),
  ...i32Const(0), ...set(I),
  ...loop,
  ...pairStep(0), ...pairStep(1),
  ...get(WP), ...i32Const(64), i32Add, ...set(WP),
  ...get(I), ...i32Const(8), i32Add, ...tee(I), ...get(K_BYTES), i32LtU, ...brIf(0),
  end,
  ...[0, 1, 2, 3].flatMap((r) => store(r, output)),
  ...get(NB), ...i32Const(32), i32Add, ...tee(NB), ...get(END), i32LtU, ...brIf(0),
  end,
  ...get(P), ...i32Const(4), i32Add, ...tee(P), ...get(PIXELS), i32LtU, ...brIf(0),
  end,
];

/** The module's bytes for one output kind; `sharedMemory` when the memory to import is shared. */
export function simdQuantizedGemmModule(output: QuantizedOutput, sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return functionModule('pointwise', new Array<number>(10).fill(I32), [[I32, 14], [V128, 13]], body(output), sharedMemory);
}

/** A 1x1 kernel's integers (minus its zero point, K x N, input channel major as HWIO) in the layout above. */
export function packPointwiseKernel(levels: ArrayLike<number>, inChannels: number, outChannels: number): Int16Array {
  const packed = new Int16Array(inChannels * outChannels);
  let at = 0;
  for (let b = 0; b < outChannels / 8; b++) {
    for (let j = 0; j < inChannels / 2; j++) {
      for (let n = 8 * b; n < 8 * b + 8; n++) {
        packed[at++] = levels[2 * j * outChannels + n]!;
        packed[at++] = levels[(2 * j + 1) * outChannels + n]!;
      }
    }
  }
  return packed;
}
