// A WebAssembly module of one SIMD function, assembled here byte by byte like simd-mask-module.ts:
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
import { leb128, name, section, vector } from './simd-mask-module';

const I32 = 0x7f;
const [DY, W, DX, TABLE, COUNT, PIXEL, N, K] = [0, 1, 2, 3, 4, 5, 6, 7];
/** The locals holding tap a's dy and w addresses. */
const P = (a: number) => 8 + a;
const Q = (a: number) => 12 + a;
export const TABLE_ENTRY_INTS = 9;

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const i32Const = (n: number) => [0x41, ...leb128(n)]; // only small non-negative constants here (< 64)
const i32Load = (offset: number) => [0x28, 2, ...leb128(offset)];
const [add, sub, ltU] = [0x6a, 0x6b, 0x49];
const simd = (opcode: number) => [0xfd, ...leb128(opcode)];
const load = [...simd(0x00), 4, 0]; // v128.load align=2^4 offset=0
const store = [...simd(0x0b), 4, 0]; // v128.store
const zeros = [...simd(0x0c), ...new Array<number>(16).fill(0)]; // v128.const 0
const [f32x4Add, f32x4Mul] = [simd(0xe4), simd(0xe6)];
const [block, loop, end] = [[0x02, 0x40], [0x03, 0x40], 0x0b];
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const brTable = (depths: number[], otherwise: number) => [0x0e, ...vector(depths.map((d) => [d])), otherwise];

/** address + k, the k-th byte of the pixel at `address` (a local). */
const atK = (address: number) => [...get(address), ...get(K), add];
/** dy[tap a] · w[tap a] for the 4 floats at k. */
const product = (a: number) => [...atK(P(a)), ...load, ...atK(Q(a)), ...load, ...f32x4Mul];

/** Over the pixel's floats, 4 at a time: dx[k..k+3] = `value` (k from 0 while k < pixel; pixel >= 16). */
const overPixel = (value: number[]) => [
  ...i32Const(0), ...set(K),
  ...loop, ...atK(DX), ...value, ...store,
  ...get(K), ...i32Const(16), add, ...tee(K), ...get(PIXEL), ltU, ...brIf(0), end,
];
const sumOfProducts = (taps: number) => [...product(0), ...Array.from({ length: taps - 1 }, (_, i) => [...product(i + 1), ...f32x4Add]).flat()];

// prettier-ignore
const body = [
  ...vector([[10, I32]]), // n, k, p0..p3, q0..q3
  ...loop,
  ...get(TABLE), ...i32Load(0), ...set(N),
  ...[0, 1, 2, 3].flatMap((a) => [
    ...get(DY), ...get(TABLE), ...i32Load(4 + 8 * a), add, ...set(P(a)),
    ...get(W), ...get(TABLE), ...i32Load(8 + 8 * a), add, ...set(Q(a)),
  ]),
  ...block, ...block, ...block, ...block, ...block, ...block, // done, four, three, two, one, zero
  ...get(N), ...brTable([0, 1, 2, 3], 4),
  end, ...overPixel(zeros), ...br(4),
  end, ...overPixel(sumOfProducts(1)), ...br(3),
  end, ...overPixel(sumOfProducts(2)), ...br(2),
  end, ...overPixel(sumOfProducts(3)), ...br(1),
  end, ...overPixel(sumOfProducts(4)),
  end,
  ...get(TABLE), ...i32Const(4 * TABLE_ENTRY_INTS), add, ...set(TABLE),
  ...get(DX), ...get(PIXEL), add, ...set(DX),
  ...get(COUNT), ...i32Const(1), sub, ...tee(COUNT), ...brIf(0),
  end,
  end, // end function
];

/** The module's bytes; `sharedMemory` when the memory to import is shared (TF.js's multi-threaded WASM build). */
export function simdTapGatherModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const limits = sharedMemory ? [0x03, 0x00, ...leb128(65536)] : [0x00, 0x00];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32]]), 0]])), // type
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])), // import env.memory
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name('gather'), 0x00, 0]])), // export
    ...section(10, vector([[...leb128(body.length), ...body]])), // code
  ]);
}
