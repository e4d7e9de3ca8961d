// A WebAssembly module of one SIMD function, assembled here byte by byte (wasm-assembly.ts):
//
//   gather(dy, w, dx, table, count, pixelBytes)   // byte offsets into the memory it imports
//
// For each of `count` output pixels, in order, one entry of `table` (9 i32: a variant, then four (dy, w) byte
// offsets relative to `dy` and `w`) says which taps reach it; the pixel's pixelBytes / 4 floats (a multiple of 4)
// are Σ over its taps of dy[tap + c] · w[tap + c], written to dx, which then moves on by one pixel. The variant is
// the number of taps, 0 (zeros) to 4; unused offsets are ignored. Why it exists, and what the taps are: see
// depthwise-input-gradient.ts. Text form (WebAssembly text format, for review):
//
//   (func (param $dy i32) (param $w i32) (param $dx i32) (param $table i32) (param $count i32) (param $pixel i32)
//         (local $n i32) (local $k i32) (local $p0 i32) .. (local $p3 i32) (local $q0 i32) .. (local $q3 i32)
//     (loop $pixels                                        ;; count >= 1
//       (local.set $n (i32.load (local.get $table)))
//       (local.set $p0 (i32.add (local.get $dy) (i32.load offset=4 (local.get $table))))
//       (local.set $q0 (i32.add (local.get $w) (i32.load offset=8 (local.get $table))))  ;; and so on to $p3, $q3
//       (local.set $k (i32.const 0))
//       (block $done (block $four (block $three (block $two (block $one (block $zero
//         (br_table $zero $one $two $three $four (local.get $n)))
//         (loop (v128.store (i32.add (local.get $dx) (local.get $k)) (v128.const 0))  ;; k += 16 while k < pixel
//         (br $done))
//         (loop (v128.store (i32.add (local.get $dx) (local.get $k))
//                 (f32x4.mul (v128.load (i32.add (local.get $p0) (local.get $k))) (v128.load (i32.add (local.get $q0) (local.get $k)))))
//         (br $done))
//         (loop ... the sum of two such products ...) (br $done))
//         (loop ... of three ...) (br $done))
//       (loop ... of four ...))
//       (local.set $table (i32.add (local.get $table) (i32.const 36)))
//       (local.set $dx (i32.add (local.get $dx) (local.get $pixel)))
//       (br_if $pixels (local.tee $count (i32.sub (local.get $count) (i32.const 1))))))
import {
  I32,
  block,
  br,
  brIf,
  brTable,
  end,
  f32x4Add,
  f32x4Mul,
  functionModule,
  get,
  i32Add,
  i32Const,
  i32Load,
  i32LtU,
  i32Sub,
  loop,
  set,
  tee,
  v128Const,
  v128Load,
  v128Store,
} from './wasm-assembly';

const [DY, W, DX, TABLE, COUNT, PIXEL, N, K] = [0, 1, 2, 3, 4, 5, 6, 7];
/** The locals holding tap a's dy and w addresses. */
const P = (a: number) => 8 + a;
const Q = (a: number) => 12 + a;
export const TABLE_ENTRY_INTS = 9;

/** address + k, the k-th byte of the pixel at `address` (a local). */
const atK = (address: number) => [...get(address), ...get(K), i32Add];
/** dy[tap a] · w[tap a] for the 4 floats at k. */
const product = (a: number) => [...atK(P(a)), ...v128Load, ...atK(Q(a)), ...v128Load, ...f32x4Mul];

/** Over the pixel's floats, 4 at a time: dx[k..k+3] = `value` (k from 0 while k < pixel; pixel >= 16). */
const overPixel = (value: number[]) => [
  ...i32Const(0), ...set(K),
  ...loop, ...atK(DX), ...value, ...v128Store,
  ...get(K), ...i32Const(16), i32Add, ...tee(K), ...get(PIXEL), i32LtU, ...brIf(0), end,
];
const sumOfProducts = (taps: number) => [...product(0), ...Array.from({ length: taps - 1 }, (_, i) => [...product(i + 1), ...f32x4Add]).flat()];

// prettier-ignore
const body = [
  ...loop,
  ...get(TABLE), ...i32Load(0), ...set(N),
  ...[0, 1, 2, 3].flatMap((a) => [
    ...get(DY), ...get(TABLE), ...i32Load(4 + 8 * a), i32Add, ...set(P(a)),
    ...get(W), ...get(TABLE), ...i32Load(8 + 8 * a), i32Add, ...set(Q(a)),
  ]),
  ...block, ...block, ...block, ...block, ...block, ...block, // done, four, three, two, one, zero
  ...get(N), ...brTable([0, 1, 2, 3], 4),
  end, ...overPixel(v128Const(0)), ...br(4),
  end, ...overPixel(sumOfProducts(1)), ...br(3),
  end, ...overPixel(sumOfProducts(2)), ...br(2),
  end, ...overPixel(sumOfProducts(3)), ...br(1),
  end, ...overPixel(sumOfProducts(4)),
  end,
  ...get(TABLE), ...i32Const(4 * TABLE_ENTRY_INTS), i32Add, ...set(TABLE),
  ...get(DX), ...get(PIXEL), i32Add, ...set(DX),
  ...get(COUNT), ...i32Const(1), i32Sub, ...tee(COUNT), ...brIf(0),
  end,
];

/** The module's bytes; `sharedMemory` when the memory to import is shared (TF.js's multi-threaded WASM build). */
export function simdTapGatherModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  // Locals: n, k, p0..p3, q0..q3 (i32).
  return functionModule('gather', [I32, I32, I32, I32, I32, I32], [[I32, 10]], body, sharedMemory);
}
