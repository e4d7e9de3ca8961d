// techniques/optimize/wasm-slice.ts: tf.slice on WASM, reading the input in place in contiguous runs, gives what
// TF.js's CPU backend gives, for every rank, dtype and kind of slice (full axes, partial axes, empty), and leaks nothing.
import * as tf from '@tensorflow/tfjs';
import { useHeapSlices } from '../../techniques/optimize/wasm-slice';
import { seededRandom } from '../../techniques/random';
import { useWasmBackend } from '../support/assets';

interface SliceCase {
  shape: number[];
  begin: number[];
  size: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

function sliceCases(): SliceCase[] {
  const random = seededRandom(3);
  const int = (n: number) => Math.floor(random() * n);
  const out: SliceCase[] = [];
  const shapes = [[7], [5, 6], [4, 5, 3], [2, 9, 8, 3], [1, 12, 10, 4], [2, 3, 4, 5, 2]];
  for (const shape of shapes) {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (let k = 0; k < 12; k++) {
        // Axes taken whole (so runs span them), partially, or not at all (size 0), at random.
        const begin = shape.map((d) => (k % 3 === 0 ? 0 : int(d)));
        const size = shape.map((d, i) => (k % 3 === 0 && random() < 0.5 ? d : k === 11 && i === 0 ? 0 : 1 + int(d - begin[i])));
        out.push({ shape, begin, size, dtype });
      }
      out.push({ shape, begin: shape.map(() => 0), size: shape.map(() => -1), dtype });
    }
  }
  return out;
}

function sliced(c: SliceCase): number[] {
  return tf.tidy(() => {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => (c.dtype === 'bool' ? Number(i % 3 === 0) : c.dtype === 'int32' ? i * 7 - 50 : i * 0.37 - 4));
    const x = tf.tensor(values, c.shape, c.dtype);
    return Array.from(tf.slice(x, c.begin, c.size).dataSync() as ArrayLike<number>);
  });
}

it('tf.slice on WASM equals TF.js CPU for every rank, dtype and slice kind, without leaks', async () => {
  const cases = sliceCases();
  await tf.setBackend('cpu');
  const reference = cases.map(sliced);
  await useWasmBackend();
  useHeapSlices();
  const before = tf.memory().numTensors;
  cases.forEach((c, i) => expect({ ...c, values: sliced(c) }).toEqual({ ...c, values: reference[i] }));
  expect(tf.memory().numTensors).toBe(before);
  // A tile out of a large image: each row of the window is one run.
  const image = tf.randomUniform([1, 300, 400, 3], 0, 1, 'float32', 5);
  const tile = tf.slice(image, [0, 37, 150, 0], [1, 128, 160, 3]);
  const all = image.dataSync();
  const expected: number[] = [];
  for (let y = 37; y < 37 + 128; y++) for (let x = 150; x < 150 + 160; x++) for (let c = 0; c < 3; c++) expected.push(all[(y * 400 + x) * 3 + c]);
  expect(Array.from(tile.dataSync())).toEqual(expected);
  tf.dispose([image, tile]);
});
