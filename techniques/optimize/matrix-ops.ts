// Feature-matrix products with hand-written gradients. On tfjs-wasm a matMul with a transposed operand skips the
// fast (XNNPACK) path: FᵀF written as matMul(F, F, true) and its autodiff gradient (two more transposed products)
// took 140-200 ms per layer at 128 px; the same values by plain products take 13-25 ms (measured here). Each
// gradient below is the exact one, written with untransposed products only.
import * as tf from '@tensorflow/tfjs';

type Inputs = Array<tf.Tensor | tf.GradSaveFunc>;

/** FᵀF (unnormalized Gram) of an [N, C] feature matrix. d/dF = F·(dG + dGᵀ). */
const gramSumOp = tf.customGrad((...inputs: Inputs) => {
  const f = inputs[0] as tf.Tensor2D;
  (inputs[1] as tf.GradSaveFunc)([f]);
  return {
    value: tf.matMul(tf.transpose(f), f) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.matMul(saved[0] as tf.Tensor2D, tf.add(dy, tf.transpose(dy)) as tf.Tensor2D),
  };
});

export function gramSum(f: tf.Tensor2D): tf.Tensor2D {
  return gramSumOp(f) as tf.Tensor2D;
}

/** ½·Σ F ⊙ (F·M) for a constant symmetric M: its gradient is F·M (the tiled Gram loss's per-tile surrogate). */
export function halfQuadraticForm(f: tf.Tensor2D, m: tf.Tensor2D): tf.Scalar {
  const op = tf.customGrad((...inputs: Inputs) => {
    const x = inputs[0] as tf.Tensor2D;
    const fm = tf.matMul(x, m);
    (inputs[1] as tf.GradSaveFunc)([fm]);
    return {
      value: tf.mul(tf.sum(tf.mul(x, fm)), 0.5) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0], dy),
    };
  });
  return op(f) as tf.Scalar;
}

/** F·V for constant directions V [C, K] (Vt = Vᵀ given): d/dF = dY·Vᵀ. */
export function project(f: tf.Tensor2D, v: tf.Tensor2D, vt: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...inputs: Inputs) => ({
    value: tf.matMul(inputs[0] as tf.Tensor2D, v) as tf.Tensor,
    gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, vt),
  }));
  return op(f) as tf.Tensor2D;
}

/** Each row sorted in descending order; each sorted value's gradient goes back to where it came from. */
const sortRowsOp = tf.customGrad((...inputs: Inputs) => {
  const x = inputs[0] as tf.Tensor2D;
  const [rows, n] = x.shape;
  const { values, indices } = tf.topk(x, n, true);
  (inputs[1] as tf.GradSaveFunc)([indices]);
  return {
    value: values as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const flat = tf.reshape(tf.add(saved[0], tf.mul(tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]), tf.scalar(n, 'int32'))), [rows * n, 1]);
      return tf.reshape(tf.scatterND(flat, tf.reshape(dy, [rows * n]), [rows * n]), [rows, n]);
    },
  };
});

export function sortRowsDescending(x: tf.Tensor2D): tf.Tensor2D {
  return sortRowsOp(x) as tf.Tensor2D;
}
