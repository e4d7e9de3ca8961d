// A WebAssembly module of one SIMD function, assembled here byte by byte (wasm-assembly.ts):
//
//   mask(y, dy, out, count, lo, hi, alpha)   // byte offsets into the memory it imports; count a multiple of 4
//     for each float i: out[i] = lo < y[i] < hi ? dy[i] : dy[i] · alpha
//
// It imports TF.js's WASM backend's own memory, so it reads and writes tensors where they live. Why it exists: see
// masked-gradient.ts. Text form of the function (WebAssembly text format, for review):
//
//   (func (param $y i32) (param $dy i32) (param $out i32) (param $count i32) (param $lo f32) (param $hi f32)
//         (param $alpha f32) (local $end i32) (local $inside v128)
//     (local.set $end (i32.add (local.get $y) (i32.shl (local.get $count) (i32.const 2))))
//     (block (loop
//       (br_if 1 (i32.ge_u (local.get $y) (local.get $end)))
//       (local.set $inside (v128.and (f32x4.gt (v128.load (local.get $y)) (f32x4.splat (local.get $lo)))
//                                    (f32x4.lt (v128.load (local.get $y)) (f32x4.splat (local.get $hi)))))
//       (v128.store (local.get $out) (v128.bitselect (v128.load (local.get $dy))
//                                                    (f32x4.mul (v128.load (local.get $dy)) (f32x4.splat (local.get $alpha)))
//                                                    (local.get $inside)))
//       (local.set $y (i32.add (local.get $y) (i32.const 16)))  ;; and the same for $dy and $out
//       (br 0))))

import {
  F32,
  I32,
  V128,
  block,
  br,
  brIf,
  end,
  f32x4Gt,
  f32x4Lt,
  f32x4Mul,
  f32x4Splat,
  functionModule,
  get,
  i32Add,
  i32Const,
  i32GeU,
  i32Shl,
  loop,
  set,
  v128And,
  v128Bitselect,
  v128Load,
  v128Store,
} from './wasm-assembly';

const [Y, DY, OUT, COUNT, LO, HI, ALPHA, END, INSIDE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

const advance = (local: number) => [...get(local), ...i32Const(16), i32Add, ...set(local)]; // local += 16

// prettier-ignore
const body = [
  ...get(Y), ...get(COUNT), ...i32Const(2), i32Shl, i32Add, ...set(END), // end = y + (count << 2)
  ...block, ...loop,
  ...get(Y), ...get(END), i32GeU, ...brIf(1), // y >= end (unsigned)
  ...get(OUT),
  ...get(Y), ...v128Load, ...get(LO), ...f32x4Splat, ...f32x4Gt,
  ...get(Y), ...v128Load, ...get(HI), ...f32x4Splat, ...f32x4Lt,
  ...v128And, ...set(INSIDE),
  ...get(DY), ...v128Load,
  ...get(DY), ...v128Load, ...get(ALPHA), ...f32x4Splat, ...f32x4Mul,
  ...get(INSIDE), ...v128Bitselect,
  ...v128Store,
  ...advance(Y), ...advance(DY), ...advance(OUT),
  ...br(0), end, end,
];

/** The module's bytes; `sharedMemory` when the memory to import is shared (TF.js's multi-threaded WASM build). */
export function simdMaskModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return functionModule('mask', [I32, I32, I32, I32, F32, F32, F32], [[I32, 1], [V128, 1]], body, sharedMemory);
}
