// A WebAssembly module of one SIMD function, assembled here byte by byte (no toolchain at run time or build time):
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

/** Unsigned LEB128, the encoding of sizes and indices in a module. */
export function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A vector (count, then the items), a name, a section: the module format's building blocks (also used by
 *  techniques/optimize/simd-max-pool-gradient-module.ts). */
export const vector = (items: number[][]): number[] => [...leb128(items.length), ...items.flat()];
export const name = (s: string): number[] => [...leb128(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
export const section = (id: number, content: number[]): number[] => [id, ...leb128(content.length), ...content];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const [Y, DY, OUT, COUNT, LO, HI, ALPHA, END, INSIDE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const simd = (opcode: number) => [0xfd, ...leb128(opcode)];
const load = [...simd(0x00), 4, 0]; // v128.load align=2^4 offset=0
const store = [...simd(0x0b), 4, 0]; // v128.store
const splat = simd(0x13); // f32x4.splat
const advance = (local: number) => [...get(local), 0x41, 16, 0x6a, ...set(local)]; // local += 16 (i32.const, i32.add)

// prettier-ignore
const body = [
  ...vector([
    [1, I32],
    [1, V128],
  ]),
  ...get(Y), ...get(COUNT), 0x41, 2, 0x74, 0x6a, ...set(END), // end = y + (count << 2)
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...get(Y), ...get(END), 0x4f, 0x0d, 1, // br_if 1 (y >= end, unsigned)
  ...get(OUT),
  ...get(Y), ...load, ...get(LO), ...splat, ...simd(0x44), // f32x4.gt
  ...get(Y), ...load, ...get(HI), ...splat, ...simd(0x43), // f32x4.lt
  ...simd(0x4e), ...set(INSIDE), // v128.and
  ...get(DY), ...load,
  ...get(DY), ...load, ...get(ALPHA), ...splat, ...simd(0xe6), // f32x4.mul
  ...get(INSIDE), ...simd(0x52), // v128.bitselect
  ...store,
  ...advance(Y), ...advance(DY), ...advance(OUT),
  0x0c, 0, 0x0b, 0x0b, // br 0, end loop, end block
  0x0b, // end function
];

/** The module's bytes; `sharedMemory` when the memory to import is shared (TF.js's multi-threaded WASM build). */
export function simdMaskModule(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  // Memory limits: min 0 pages; a shared memory must also declare a maximum (65536 pages, all of wasm32).
  const limits = sharedMemory ? [0x03, 0x00, ...leb128(65536)] : [0x00, 0x00];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [F32], [F32], [F32]]), 0]])), // type: the function's
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])), // import env.memory
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name('mask'), 0x00, 0]])), // export "mask" = function 0
    ...section(10, vector([[...leb128(body.length), ...body]])), // code
  ]);
}
