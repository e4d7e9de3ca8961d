// A WebAssembly module of one SIMD function, assembled here byte by byte (models/networks/wasm-assembly.ts):
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
import {
  I32,
  V128,
  block,
  br,
  brIf,
  end,
  f32x4Eq,
  functionModule,
  get,
  i32Add,
  i32Const,
  i32Eqz,
  i32GeU,
  i32Mul,
  i32Shl,
  i32Sub,
  loop,
  set,
  v128And,
  v128AndNot,
  v128Const,
  v128Load,
  v128Store,
} from '../../models/networks/wasm-assembly';

const [X, Y, DY, DX, OUT_ROWS, OUT_COLS, PIXEL, ROW, J, K, XA, DXA, M, G, LEFT, HIT] = Array.from({ length: 16 }, (_, i) => i);

/** local += step (an i32 local; `step` a local or a constant). */
const advanceBy = (local: number, step: number[]) => [...get(local), ...step, i32Add, ...set(local)];

/** One window pixel at byte offset `offset` (an instruction list giving an i32) from the window's top-left. */
const windowPixel = (offset: number[]) => [
  ...get(XA), ...offset, i32Add, ...v128Load, ...get(M), ...f32x4Eq, ...get(LEFT), ...v128And, ...set(HIT),
  ...get(DXA), ...offset, i32Add, ...get(G), ...get(HIT), ...v128And, ...v128Store,
  ...get(LEFT), ...get(HIT), ...v128AndNot, ...set(LEFT),
];

// prettier-ignore
const body = [
  ...get(OUT_COLS), ...get(PIXEL), i32Mul, ...i32Const(1), i32Shl, ...set(ROW), // row = (outCols · pixel) << 1
  ...block, ...loop,
  ...get(OUT_ROWS), i32Eqz, ...brIf(1),
  ...get(OUT_COLS), ...set(J),
  ...block, ...loop,
  ...get(J), i32Eqz, ...brIf(1),
  ...i32Const(0), ...set(K),
  ...block, ...loop,
  ...get(K), ...get(PIXEL), i32GeU, ...brIf(1),
  ...get(X), ...get(K), i32Add, ...set(XA),
  ...get(DX), ...get(K), i32Add, ...set(DXA),
  ...get(Y), ...get(K), i32Add, ...v128Load, ...set(M),
  ...get(DY), ...get(K), i32Add, ...v128Load, ...set(G),
  ...v128Const(0xff), ...set(LEFT), // all lanes
  ...windowPixel(i32Const(0)),
  ...windowPixel(get(PIXEL)),
  ...windowPixel(get(ROW)),
  ...windowPixel([...get(ROW), ...get(PIXEL), i32Add]),
  ...advanceBy(K, i32Const(16)),
  ...br(0), end, end,
  ...advanceBy(X, [...get(PIXEL), ...get(PIXEL), i32Add]),
  ...advanceBy(DX, [...get(PIXEL), ...get(PIXEL), i32Add]),
  ...advanceBy(Y, get(PIXEL)),
  ...advanceBy(DY, get(PIXEL)),
  ...get(J), ...i32Const(1), i32Sub, ...set(J),
  ...br(0), end, end,
  ...advanceBy(X, get(ROW)),
  ...advanceBy(DX, get(ROW)),
  ...get(OUT_ROWS), ...i32Const(1), i32Sub, ...set(OUT_ROWS),
  ...br(0), end, end,
];

/** The module's bytes; `sharedMemory` when the memory to import is shared (TF.js's multi-threaded WASM build). */
export function simdMaxPoolGradientModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  // Locals: row, j, k, xa, dxa (i32); m, g, left, hit (v128).
  return functionModule('maxPoolGrad', [I32, I32, I32, I32, I32, I32, I32], [[I32, 5], [V128, 4]], body, sharedMemory);
}
