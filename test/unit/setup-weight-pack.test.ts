// float16 packing must round like IEEE half precision and decode back through TF.js's own decoder.
import * as tf from '@tensorflow/tfjs';
import { float32ToFloat16, packWeights } from '../../models/setup/weight-pack';

test('float32 -> float16 bits for exact, rounded, subnormal and out-of-range values', () => {
  const values = new Float32Array([0, -0, 1, -2, 0.5, 65504, 1e6, 5.960464477539063e-8, 1e-9, 1 + 2 ** -11, 1 + 3 * 2 ** -11, Infinity, NaN]);
  const bits = Array.from(float32ToFloat16(values));
  expect(bits.slice(0, 7)).toEqual([0x0000, 0x8000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x7c00]);
  expect(bits[7]).toBe(0x0001); // smallest subnormal
  expect(bits[8]).toBe(0x0000); // underflow
  expect(bits[9]).toBe(0x3c00); // halfway: round to even (down)
  expect(bits[10]).toBe(0x3c02); // halfway: round to even (up)
  expect(bits[11]).toBe(0x7c00);
  expect(bits[12] & 0x7c00).toBe(0x7c00);
  expect(bits[12] & 0x03ff).not.toBe(0);
});

test('packed float16 weights decode with tf.io.decodeWeights to within half precision', () => {
  const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
  const { weights, data } = packWeights([{ name: 'w', shape: [2, 3, 4], values }], 'float16');
  expect(data.byteLength).toBe(48);
  const decoded = tf.io.decodeWeights(data, weights).w;
  expect(decoded.shape).toEqual([2, 3, 4]);
  decoded.dataSync().forEach((v, i) => expect(Math.abs(v - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -11 + 1e-7));
  decoded.dispose();
});
