// The hand-assembled integer kernels (simd-quantized-gemm-module.ts, simd-requantize-module.ts) against plain
// JavaScript arithmetic, on their own memory: every level exact, including saturation at the clamp range, rows
// past the last pixel, ties (rounded half to even) and int16 saturation.
import { packPointwiseKernel, simdQuantizedGemmModule } from '../../models/networks/simd-quantized-gemm-module';
import { simdQuantizedAddModule, simdRequantizeModule } from '../../models/networks/simd-requantize-module';
import { seededRandom } from '../../techniques/random';

const memory = new WebAssembly.Memory({ initial: 16 });
const exportOf = <F>(bytes: Uint8Array<ArrayBuffer>, name: string) => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports[name] as unknown as F;

/** Round half to even (f32x4.nearest), then clamp. */
const level = (x: number, lo: number, hi: number) => {
  const floor = Math.floor(x);
  const r = x - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(x);
  return Math.min(hi, Math.max(lo, r)) + 0; // + 0: no -0
};
const integers = (n: number, range: number, seed: number) => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => Math.floor(r() * (2 * range + 1)) - range);
};
const [X, W, BIAS, SCALE, OUT] = [0, 65536, 196608, 200704, 262144];

describe('integer GEMM module (1x1 convolution)', () => {
  type Pointwise = (...args: number[]) => void;
  it.each([
    [3, 4, 32],
    [7, 12, 16],
    [13, 96, 24],
  ])('%i pixels, %i -> %i channels: every level exact, as int16 and as float32', (pixels, k, n) => {
    const x = integers(pixels * k, 255, pixels);
    const w = integers(k * n, 255, k);
    const bias = integers(n, 20000, n);
    const r = seededRandom(7);
    const scale = Float32Array.from({ length: n }, () => ((0.5 + r()) * 0.004) / Math.sqrt(k)); // levels ~ ±90: both clamps met
    new Int16Array(memory.buffer, X, x.length).set(x);
    new Int16Array(memory.buffer, W, w.length).set(packPointwiseKernel(w, k, n));
    new Int32Array(memory.buffer, BIAS, n).set(bias);
    new Float32Array(memory.buffer, SCALE, n).set(scale);
    const [lo, hi] = [-100, 120];
    const expected: number[] = [];
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < n; c++) {
        let acc = bias[c]!;
        for (let i = 0; i < k; i++) acc += x[p * k + i]! * w[i * n + c]!;
        expected.push(level(Math.fround(Math.fround(acc) * scale[c]!), lo, hi));
      }
    }
    exportOf<Pointwise>(simdQuantizedGemmModule('int16', false), 'pointwise')(X, W, BIAS, SCALE, OUT, pixels, 2 * k, n / 8, lo, hi);
    expect(Array.from(new Int16Array(memory.buffer, OUT, pixels * n))).toEqual(expected);
    exportOf<Pointwise>(simdQuantizedGemmModule('float32', false), 'pointwise')(X, W, BIAS, SCALE, OUT, pixels, 2 * k, n / 8, lo, hi);
    expect(Array.from(new Float32Array(memory.buffer, OUT, pixels * n))).toEqual(expected);
    expect(expected.some((v) => v === lo) && expected.some((v) => v === hi)).toBe(true); // both clamps met
  });
});

describe('requantize and add modules', () => {
  it('requantizes float sums per channel, ties to even, as int16 and float32', () => {
    const [pixels, channels] = [3, 16];
    const r = seededRandom(3);
    const sums = Float32Array.from({ length: pixels * channels }, (_, i) => (i % 5 === 0 ? 2 * Math.floor(r() * 100) + 1 : Math.fround((r() - 0.5) * 4e5)));
    const scale = Float32Array.from({ length: channels }, (_, c) => (c % 2 === 0 ? 0.5 : 0.001 + r() * 0.001)); // x.5 ties where i % 5 = 0
    new Float32Array(memory.buffer, X, sums.length).set(sums);
    new Float32Array(memory.buffer, SCALE, channels).set(scale);
    const expected = Array.from(sums, (s, i) => level(Math.fround(s * scale[i % channels]!), -128, 127));
    exportOf<(...a: number[]) => void>(simdRequantizeModule('int16', false), 'requantize')(X, SCALE, OUT, pixels, channels * 4, -128, 127);
    expect(Array.from(new Int16Array(memory.buffer, OUT, sums.length))).toEqual(expected);
    exportOf<(...a: number[]) => void>(simdRequantizeModule('float32', false), 'requantize')(X, SCALE, OUT, pixels, channels * 4, -128, 127);
    expect(Array.from(new Float32Array(memory.buffer, OUT, sums.length))).toEqual(expected);
  });

  it('adds two grids onto a third as (a·sa + b·sb) / so in float32', () => {
    const a = integers(32, 255, 1);
    const b = integers(32, 255, 2);
    const [sa, sb, so] = [0.021, 0.034, 0.05].map(Math.fround) as [number, number, number];
    new Int16Array(memory.buffer, X, 32).set(a);
    new Int16Array(memory.buffer, W, 32).set(b);
    exportOf<(...a: number[]) => void>(simdQuantizedAddModule(false), 'add')(X, W, OUT, 4, sa, sb, so, -128, 127);
    const expected = a.map((v, i) => level(Math.fround(Math.fround(Math.fround(v * sa) + Math.fround(b[i]! * sb)) / so), -128, 127));
    expect(Array.from(new Int16Array(memory.buffer, OUT, 32))).toEqual(expected);
  });
});
