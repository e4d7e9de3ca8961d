// A WebAssembly module of one SIMD function, assembled here byte by byte like models/networks/simd-mask-module.ts:
//
//   maxPoolGrad(x, y, dy, dx, outRows, outCols, pixelBytes)   // byte offsets into the memory it imports
//
// the input gradient of a 2x2 stride-2 max pool in NHWC: x [rows·2, outCols·2, C] (the batch folded into rows),
// y = maxPool(x) and dy = ∂L/∂y [outRows, outCols, C], dx = ∂L/∂x like x; pixelBytes = 4·C, C a multiple of 4.
// Each window's gradient goes to the FIRST of its pixels (top-left, top-right, bottom-left, bottom-right) that
// equals the window's max, the others get +0: exactly TF.js's own MaxPoolGrad (CPU/WebGL: strictly-greater scan in
// that order). Why it exists: see max-pool-gradient.ts. Text form (WebAssembly text format, for review):
//
//   (func (param $x i32) (param $y i32) (param $dy i32) (param $dx i32) (param $outRows i32) (param $outCols i32)
//         (param $pixel i32) (local $row i32) (local $j i32) (local $k i32) (local $xa i32) (local $dxa i32)
//         (local $m v128) (local $g v128) (local $left v128) (local $hit v128)
//     (local.set $row (i32.shl (i32.mul (local.get $outCols) (local.get $pixel)) (i32.const 1)))  ;; input row bytes
//     (block (loop                                                  ;; output rows
//       (br_if 1 (i32.eqz (local.get $outRows)))
//       (local.set $j (local.get $outCols))
//       (block (loop                                                ;; output pixels of the row
//         (br_if 1 (i32.eqz (local.get $j)))
//         (local.set $k (i32.const 0))
//         (block (loop                                              ;; 4 channels at a time
//           (br_if 1 (i32.ge_u (local.get $k) (local.get $pixel)))
//           (local.set $xa (i32.add (local.get $x) (local.get $k)))  (local.set $dxa (i32.add (local.get $dx) (local.get $k)))
//           (local.set $m (v128.load (i32.add (local.get $y) (local.get $k))))
//           (local.set $g (v128.load (i32.add (local.get $dy) (local.get $k))))
//           (local.set $left (v128.const -1))                       ;; lanes whose max is not found yet
//           ;; for each window pixel p at byte offset o in (0, pixel, row, row + pixel), in this order:
//           (local.set $hit (v128.and (f32x4.eq (v128.load (i32.add (local.get $xa) o)) (local.get $m)) (local.get $left)))
//           (v128.store (i32.add (local.get $dxa) o) (v128.and (local.get $g) (local.get $hit)))
//           (local.set $left (v128.andnot (local.get $left) (local.get $hit)))
//           (local.set $k (i32.add (local.get $k) (i32.const 16)))
//           (br 0)))
//         ;; next window: x and dx two pixels on, y and dy one
//         (local.set $j (i32.sub (local.get $j) (i32.const 1)))
//         (br 0)))
//       ;; skip the window's second input row
//       (local.set $outRows (i32.sub (local.get $outRows) (i32.const 1)))
//       (br 0))))
import { leb128, name, section, vector } from '../../models/networks/simd-mask-module';

const I32 = 0x7f;
const V128 = 0x7b;
const [X, Y, DY, DX, OUT_ROWS, OUT_COLS, PIXEL, ROW, J, K, XA, DXA, M, G, LEFT, HIT] = Array.from({ length: 16 }, (_, i) => i);

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const i32 = (n: number) => [0x41, ...signedLeb128(n)];
const add = 0x6a;
const sub = 0x6b;
const simd = (opcode: number) => [0xfd, ...leb128(opcode)];
const load = [...simd(0x00), 4, 0]; // v128.load align=2^4 offset=0
const store = [...simd(0x0b), 4, 0]; // v128.store
const and = simd(0x4e); // v128.and
const andNot = simd(0x4f); // v128.andnot: a & ~b
const eq = simd(0x41); // f32x4.eq
const allOnes = [...simd(0x0c), ...new Array<number>(16).fill(0xff)]; // v128.const of 16 bytes 0xff
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const end = 0x0b;
const brIf = (depth: number) => [0x0d, depth];
const br = (depth: number) => [0x0c, depth];
/** local += step (an i32 local; `step` a local or a constant). */
const advanceBy = (local: number, step: number[]) => [...get(local), ...step, add, ...set(local)];

/** Signed LEB128 (i32.const's immediate). */
function signedLeb128(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** One window pixel at byte offset `offset` (an instruction list giving an i32) from the window's top-left. */
const windowPixel = (offset: number[]) => [
  ...get(XA), ...offset, add, ...load, ...get(M), ...eq, ...get(LEFT), ...and, ...set(HIT),
  ...get(DXA), ...offset, add, ...get(G), ...get(HIT), ...and, ...store,
  ...get(LEFT), ...get(HIT), ...andNot, ...set(LEFT),
];

// prettier-ignore
const body = [
  ...vector([
    [5, I32], // row, j, k, xa, dxa
    [4, V128], // m, g, left, hit
  ]),
  ...get(OUT_COLS), ...get(PIXEL), 0x6c, ...i32(1), 0x74, ...set(ROW), // row = (outCols · pixel) << 1
  ...block, ...loop,
  ...get(OUT_ROWS), 0x45, ...brIf(1), // i32.eqz
  ...get(OUT_COLS), ...set(J),
  ...block, ...loop,
  ...get(J), 0x45, ...brIf(1),
  ...i32(0), ...set(K),
  ...block, ...loop,
  ...get(K), ...get(PIXEL), 0x4f, ...brIf(1), // i32.ge_u
  ...get(X), ...get(K), add, ...set(XA),
  ...get(DX), ...get(K), add, ...set(DXA),
  ...get(Y), ...get(K), add, ...load, ...set(M),
  ...get(DY), ...get(K), add, ...load, ...set(G),
  ...allOnes, ...set(LEFT),
  ...windowPixel(i32(0)),
  ...windowPixel(get(PIXEL)),
  ...windowPixel(get(ROW)),
  ...windowPixel([...get(ROW), ...get(PIXEL), add]),
  ...advanceBy(K, i32(16)),
  ...br(0), end, end,
  ...advanceBy(X, [...get(PIXEL), ...get(PIXEL), add]),
  ...advanceBy(DX, [...get(PIXEL), ...get(PIXEL), add]),
  ...advanceBy(Y, get(PIXEL)),
  ...advanceBy(DY, get(PIXEL)),
  ...get(J), ...i32(1), sub, ...set(J),
  ...br(0), end, end,
  ...advanceBy(X, get(ROW)),
  ...advanceBy(DX, get(ROW)),
  ...get(OUT_ROWS), ...i32(1), sub, ...set(OUT_ROWS),
  ...br(0), end, end,
  end, // end function
];

/** The module's bytes; `sharedMemory` when the memory to import is shared (TF.js's multi-threaded WASM build). */
export function simdMaxPoolGradientModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const limits = sharedMemory ? [0x03, 0x00, ...leb128(65536)] : [0x00, 0x00];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0]])), // type
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])), // import env.memory
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name('maxPoolGrad'), 0x00, 0]])), // export
    ...section(10, vector([[...leb128(body.length), ...body]])), // code
  ]);
}
