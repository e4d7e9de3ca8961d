// The few pieces of the WebAssembly binary format that the project's hand-assembled SIMD kernels need
// (simd-mask-module.ts, simd-tap-gather-module.ts, techniques/optimize/simd-max-pool-gradient-module.ts): encodings,
// the instructions they use, and the module around one exported function that works on an imported memory.
// No toolchain at run time or build time; each kernel's file gives its function in the text format for review.

/** Unsigned LEB128, the encoding of sizes, indices and memory offsets. */
function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

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

/** A vector (count, then the items), a name, a section: the module format's building blocks. */
const vector = (items: number[][]): number[] => [...leb128(items.length), ...items.flat()];
const name = (s: string): number[] => [...leb128(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, content: number[]): number[] => [id, ...leb128(content.length), ...content];

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

// Locals and constants.
export const get = (local: number) => [0x20, local];
export const set = (local: number) => [0x21, local];
export const tee = (local: number) => [0x22, local];
export const i32Const = (n: number) => [0x41, ...signedLeb128(n)];
/** i32.load at `offset` bytes past the address on the stack. */
export const i32Load = (offset = 0) => [0x28, 2, ...leb128(offset)];

// i32 arithmetic and comparisons.
export const i32Add = 0x6a;
export const i32Sub = 0x6b;
export const i32Mul = 0x6c;
export const i32Shl = 0x74;
export const i32ShrU = 0x76;
export const i32Eqz = 0x45;
export const i32LtU = 0x49;
export const i32GeU = 0x4f;
/** select: the first of two values if the i32 on top is non-zero, else the second. */
export const select = 0x1b;

// Control.
export const block = [0x02, 0x40];
export const loop = [0x03, 0x40];
export const end = 0x0b;
export const br = (depth: number) => [0x0c, depth];
export const brIf = (depth: number) => [0x0d, depth];
export const brTable = (depths: number[], otherwise: number) => [0x0e, ...vector(depths.map((d) => [d])), otherwise];

// SIMD.
const simd = (opcode: number) => [0xfd, ...leb128(opcode)];
/** v128.load / v128.store, 16-byte aligned hint, offset 0. */
export const v128Load = [...simd(0x00), 4, 0];
export const v128Store = [...simd(0x0b), 4, 0];
export const v128Const = (byte: number) => [...simd(0x0c), ...new Array<number>(16).fill(byte)];
/** v128.load / v128.store at `offset` bytes past the address on the stack. */
export const v128LoadAt = (offset: number) => [...simd(0x00), 4, ...leb128(offset)];
export const v128StoreAt = (offset: number) => [...simd(0x0b), 4, ...leb128(offset)];
/** v128.load32_splat: the 4 bytes at `offset` past the address, in every 32-bit lane. */
export const v128Load32Splat = (offset: number) => [...simd(0x09), 2, ...leb128(offset)];
export const v128And = simd(0x4e);
/** a & ~b */
export const v128AndNot = simd(0x4f);
export const v128Bitselect = simd(0x52);
export const f32x4Splat = simd(0x13);
export const f32x4Eq = simd(0x41);
export const f32x4Lt = simd(0x43);
export const f32x4Gt = simd(0x44);
export const f32x4Add = simd(0xe4);
export const f32x4Mul = simd(0xe6);
export const f32x4Div = simd(0xe7);
/** Round to the nearest integer, ties to even. */
export const f32x4Nearest = simd(0x6a);
export const f32x4ConvertI32x4S = simd(0xfa);
/** Float to int32, saturating (NaN to 0). */
export const i32x4TruncSatF32x4S = simd(0xf8);
export const i32x4Splat = simd(0x11);
export const i32x4Add = simd(0xae);
export const i32x4MinS = simd(0xb6);
export const i32x4MaxS = simd(0xb8);
/** Lane i = a[2i] · b[2i] + a[2i+1] · b[2i+1] over signed 16-bit lanes: eight multiply-adds into four int32s. */
export const i32x4DotI16x8S = simd(0xba);
export const i32x4ExtendLowI16x8S = simd(0xa7);
export const i32x4ExtendHighI16x8S = simd(0xa8);
/** Two i32x4 to one i16x8 (the first in the low lanes), saturating. */
export const i16x8NarrowI32x4S = simd(0x85);

/**
 * A module whose one function, exported as `exportName`, takes `params` and has `locals` (value type and count
 * each) and `body` (its instructions, without the final `end`), importing `env.memory`: shared when the memory it
 * will run on is (TF.js's multi-threaded WASM build), which must then also declare a maximum (all of wasm32).
 */
export function functionModule(exportName: string, params: number[], locals: Array<[type: number, count: number]>, body: number[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const limits = sharedMemory ? [0x03, 0x00, ...leb128(65536)] : [0x00, 0x00];
  const code = [...vector(locals.map(([type, count]) => [...leb128(count), type])), ...body, end];
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, ...vector(params.map((p) => [p])), 0]])), // type 0: params -> nothing
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])), // import env.memory
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name(exportName), 0x00, 0]])), // export it
    ...section(10, vector([[...leb128(code.length), ...code]])), // its code
  ]);
}
