// Small tensor helpers the dream needs and TF.js lacks: a circular shift (jitter), padding up to a multiple of a
// stride (exact tiling), and fitting a size under a longest side. All pure; the caller owns what they return.
import * as tf from '@tensorflow/tfjs';

/** Circular shift of [1,H,W,C] by (dy, dx) pixels (tf.roll does not exist in TF.js); a new tensor even for (0, 0). */
export function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  // One axis at a time, each in its own tidy: at 4096 px every intermediate is 134 MB.
  const shift = (t: tf.Tensor4D, axis: 1 | 2, by: number): tf.Tensor4D => {
    const size = t.shape[axis];
    const s = ((by % size) + size) % size;
    if (s === 0) return t;
    return tf.tidy(() => {
      const begin = axis === 1 ? [0, size - s, 0, 0] : [0, 0, size - s, 0];
      const size1 = axis === 1 ? [-1, s, -1, -1] : [-1, -1, s, -1];
      const size2 = axis === 1 ? [-1, size - s, -1, -1] : [-1, -1, size - s, -1];
      return tf.concat([tf.slice(t, begin, size1), tf.slice(t, [0, 0, 0, 0], size2)], axis) as tf.Tensor4D;
    });
  };
  const rows = shift(x, 1, dy);
  const out = shift(rows, 2, dx);
  if (rows !== x && rows !== out) rows.dispose();
  return out === x ? tf.clone(x) : out; // always a new tensor: the caller owns (and disposes) what it gets
}

/** Pads bottom and right by mirroring (edge pixels repeated) so both sides are multiples of `multiple`. */
export function padToMultiple(x: tf.Tensor4D, multiple: number): tf.Tensor4D {
  return tf.tidy(() => {
    let t = x;
    for (;;) {
      const [, h, w] = t.shape;
      const ph = Math.min((multiple - (h % multiple)) % multiple, h);
      const pw = Math.min((multiple - (w % multiple)) % multiple, w);
      if (ph === 0 && pw === 0) return t === x ? tf.clone(x) : t;
      t = tf.mirrorPad(t, [[0, 0], [0, ph], [0, pw], [0, 0]], 'symmetric');
    }
  });
}

/** width x height scaled so the longest side is `longest` (rounded, at least 1 px). */
export function fitLongestSide(width: number, height: number, longest: number): { width: number; height: number } {
  const scale = longest / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Bilinear resize of [1,H,W,C] to height x width (no-op copy when already that size). */
export function resizeTo(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h === height && w === width) return tf.clone(x);
  return tf.image.resizeBilinear(x, [height, width], true);
}
