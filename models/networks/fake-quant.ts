// Activation fake quantization: rounds a float activation to the uint8/int8 grid of the quantized TFLite graph,
// q(x) = (clip(round(x / scale) + zeroPoint, qmin, qmax) - zeroPoint) * scale, with a straight-through gradient
// (the gradient of x + stopGradient(q(x) - x): dy passes unchanged), so emulating networks stay differentiable.
import * as tf from '@tensorflow/tfjs';
import type { ActivationQuantization } from '../tflite/convert-mobilenet';

/** q(x) forward, identity backward. `q` undefined (a float graph, an older cache): x unchanged. */
export function fakeQuantize<T extends tf.Tensor>(x: T, q: ActivationQuantization | undefined): T {
  if (!q) return x;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const levels = tf.clipByValue(tf.add(tf.round(tf.div(input, q.scale)), q.zeroPoint), q.qmin, q.qmax);
    return { value: tf.mul(tf.sub(levels, q.zeroPoint), q.scale), gradFunc: (dy: tf.Tensor) => dy };
  });
  return f(x) as T;
}
