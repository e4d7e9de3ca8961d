// The yardstick each page measures before its cases: a fixed mix of the kernels the jobs spend their time in
// (3×3 convolutions, a matrix product, a read-back). Rows are compared as multiples of it, so a committed baseline
// says "this job costs 40 yardsticks on WASM" and holds on a faster or slower machine (bench/compare.ts).
import * as tf from '@tensorflow/tfjs';

const SIDE = 128;
const CHANNELS = 32;
const RUNS = 7;

/** Median ms of the workload over RUNS timed runs, after one warm-up (shader compiles, WASM warm-up). */
export async function yardstickMs(): Promise<number> {
  const x = tf.randomUniform([1, SIDE, SIDE, CHANNELS], 0, 1, 'float32', 1) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, CHANNELS, CHANNELS], 0, 0.1, 'float32', 2) as tf.Tensor4D;
  const matrix = tf.randomNormal([256, 256], 0, 0.1, 'float32', 3) as tf.Tensor2D;
  const once = async () => {
    const y = tf.tidy(() => {
      let h = x;
      for (let i = 0; i < 4; i++) h = tf.relu(tf.conv2d(h, filter, 1, 'same'));
      const m = tf.matMul(tf.reshape(h, [-1, 256]).slice([0, 0], [256, 256]), matrix);
      return tf.add(tf.mean(h), tf.mean(m));
    });
    await y.data();
    y.dispose();
  };
  try {
    await once();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await once();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(RUNS / 2)];
  } finally {
    tf.dispose([x, filter, matrix]);
  }
}
