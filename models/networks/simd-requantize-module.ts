// Two WebAssembly modules of one SIMD function each, assembled here byte by byte (wasm-assembly.ts), that put values
// on a quantized tensor's grid as TFLite's uint8/int8 kernels do (why: quantized-kernels.ts). Levels are kept minus
// their zero point ("centred"), as int16 (the integer GEMM's input) or float32 (XNNPACK's float kernels' input).
//
//   requantize(x, scale, out, pixels, channelBytes, lo, hi)
//     x: float32 accumulators of integer products (exact), `pixels` rows of C = channelBytes / 4 (a multiple of 8);
//     level = clamp(nearest(x · scale[c]), lo, hi), written as int16 or float32 (`output`).
//   add(a, b, out, groups, sa, sb, so, lo, hi)
//     a, b: centred int16 levels, `groups` of 8; level = clamp(nearest((a · sa + b · sb) / so), lo, hi) as int16:
//     a residual ADD, in float32 exactly as the emulation (fake-quant.ts) rounds the float sum onto its grid.
//
// Text form (WebAssembly text format, for review; $h is 0..1, unrolled):
//
//   (func $requantize (param $x $scale $out $pixels $channelBytes $lo $hi i32) (local $c i32) (local $vlo $vhi v128)
//     (loop $pixels
//       $c = 0
//       (loop $channels
//         level$h = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(
//                     v128.load offset=16h ($x + $c), v128.load offset=16h ($scale + $c)))), $vlo), $vhi)
//         int16: v128.store ($out + $c / 2) (i16x8.narrow_i32x4_s level0 level1)
//         float32: v128.store offset=16h ($out + $c) (f32x4.convert_i32x4_s level$h)
//         (br_if $channels ((local.tee $c (i32.add $c 32)) <u $channelBytes)))
//       $x += $channelBytes; $out += $channelBytes (int16: / 2)
//       (br_if $pixels (local.tee $pixels (i32.sub $pixels 1)))))
//
//   (func $add (param $a $b $out $groups i32) (param $sa $sb $so f32) (param $lo $hi i32) (local $va $vb ... v128)
//     (loop
//       level$h = clamp(nearest(f32x4.div(f32x4.add(
//                   f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_{low,high}_i16x8_s (v128.load $a)), splat $sa),
//                   f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_{low,high}_i16x8_s (v128.load $b)), splat $sb)),
//                   splat $so)))
//       v128.store $out (i16x8.narrow_i32x4_s level0 level1); $a, $b, $out += 16
//       (br_if 0 (local.tee $groups (i32.sub $groups 1)))))
import {
  F32,
  I32,
  V128,
  brIf,
  end,
  f32x4Add,
  f32x4ConvertI32x4S,
  f32x4Div,
  f32x4Mul,
  f32x4Nearest,
  f32x4Splat,
  functionModule,
  get,
  i16x8NarrowI32x4S,
  i32Add,
  i32Const,
  i32LtU,
  i32ShrU,
  i32Sub,
  i32x4ExtendHighI16x8S,
  i32x4ExtendLowI16x8S,
  i32x4MaxS,
  i32x4MinS,
  i32x4Splat,
  i32x4TruncSatF32x4S,
  loop,
  set,
  tee,
  v128LoadAt,
  v128StoreAt,
} from './wasm-assembly';
import type { QuantizedOutput } from './simd-quantized-gemm-module';

/** Nearest, to int32, clamped to [vlo, vhi] (locals): the float32 x4 on the stack becomes levels. */
const clampedLevels = (vlo: number, vhi: number) => [...f32x4Nearest, ...i32x4TruncSatF32x4S, ...get(vlo), ...i32x4MaxS, ...get(vhi), ...i32x4MinS];

// requantize: parameters, then locals c, vlo, vhi.
const [X, SCALE, OUT, PIXELS, CHANNEL_BYTES, LO, HI, C, RVLO, RVHI] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const requantizeLevel = (h: number) => [
  ...get(X), ...get(C), i32Add, ...v128LoadAt(16 * h), ...get(SCALE), ...get(C), i32Add, ...v128LoadAt(16 * h), ...f32x4Mul,
  ...clampedLevels(RVLO, RVHI),
];

// prettier-ignore
const requantizeBody = (output: QuantizedOutput) => [
  ...get(LO), ...i32x4Splat, ...set(RVLO),
  ...get(HI), ...i32x4Splat, ...set(RVHI),
  ...loop,
  ...i32Const(0), ...set(C),
  ...loop,
  ...(output === 'int16'
    ? [...get(OUT), ...get(C), ...i32Const(1), i32ShrU, i32Add, ...requantizeLevel(0), ...requantizeLevel(1), ...i16x8NarrowI32x4S, ...v128StoreAt(0)]
    : [0, 1].flatMap((h) => [...get(OUT), ...get(C), i32Add, ...requantizeLevel(h), ...f32x4ConvertI32x4S, ...v128StoreAt(16 * h)])),
  ...get(C), ...i32Const(32), i32Add, ...tee(C), ...get(CHANNEL_BYTES), i32LtU, ...brIf(0),
  end,
  ...get(X), ...get(CHANNEL_BYTES), i32Add, ...set(X),
  ...get(OUT), ...get(CHANNEL_BYTES), ...(output === 'int16' ? [...i32Const(1), i32ShrU] : []), i32Add, ...set(OUT),
  ...get(PIXELS), ...i32Const(1), i32Sub, ...tee(PIXELS), ...brIf(0),
  end,
];

export function simdRequantizeModule(output: QuantizedOutput, sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return functionModule('requantize', [I32, I32, I32, I32, I32, I32, I32], [[I32, 1], [V128, 2]], requantizeBody(output), sharedMemory);
}

// add: parameters, then locals va, vb, vsa, vsb, vso, vlo, vhi.
const [A, B, SUM, GROUPS, SA, SB, SO, ALO, AHI, VA, VB, VSA, VSB, VSO, AVLO, AVHI] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

const scaled = (v: number, extend: number[], scale: number) => [...get(v), ...extend, ...f32x4ConvertI32x4S, ...get(scale), ...f32x4Mul];
const addLevel = (extend: number[]) => [...scaled(VA, extend, VSA), ...scaled(VB, extend, VSB), ...f32x4Add, ...get(VSO), ...f32x4Div, ...clampedLevels(AVLO, AVHI)];

// prettier-ignore
const addBody = [
  ...get(SA), ...f32x4Splat, ...set(VSA),
  ...get(SB), ...f32x4Splat, ...set(VSB),
  ...get(SO), ...f32x4Splat, ...set(VSO),
  ...get(ALO), ...i32x4Splat, ...set(AVLO),
  ...get(AHI), ...i32x4Splat, ...set(AVHI),
  ...loop,
  ...get(A), ...v128LoadAt(0), ...set(VA),
  ...get(B), ...v128LoadAt(0), ...set(VB),
  ...get(SUM), ...addLevel(i32x4ExtendLowI16x8S), ...addLevel(i32x4ExtendHighI16x8S), ...i16x8NarrowI32x4S, ...v128StoreAt(0),
  ...get(A), ...i32Const(16), i32Add, ...set(A),
  ...get(B), ...i32Const(16), i32Add, ...set(B),
  ...get(SUM), ...i32Const(16), i32Add, ...set(SUM),
  ...get(GROUPS), ...i32Const(1), i32Sub, ...tee(GROUPS), ...brIf(0),
  end,
];

export function simdQuantizedAddModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return functionModule('add', [I32, I32, I32, I32, F32, F32, F32, I32, I32], [[V128, 7]], addBody, sharedMemory);
}
