// The image parameterisation for dreams that start from noise (Olah et al., "Feature Visualization", Distill 2017;
// Lucid's fft_image + to_valid_rgb): the optimiser moves Fourier coefficients, scaled by 1/frequency so that every
// frequency band changes the image equally fast (pixels alone pile up high-frequency noise the network happens to
// like), in a decorrelated colour space (ImageNet's colour covariance square root), through a sigmoid into 0..1.
//
// tf.spectral in TF.js has only 1D FFTs, and tfjs-backend-wasm registers no FFT/IFFT/Complex kernels at all, so
// the inverse real 2D DFT is written as matrix products with precomputed cosine/sine bases (numpy's irfft2
// semantics: half spectrum along the width, the real part taken). That costs O(H²W + HW²) per render, fine for
// the 128 to 256 px a visualisation is made at (DreamParams.noiseSize caps it at 512); matMul runs through
// XNNPACK on WASM (with fast-gradients.ts's MatMul gradient, which avoids WASM's slow transposed products).
import * as tf from '@tensorflow/tfjs';

// Lucid's color_correlation_svd_sqrt, divided by its largest column norm.
const COLOR_SVD_SQRT = [
  [0.26, 0.09, 0.02],
  [0.27, 0.0, -0.05],
  [0.27, -0.09, 0.03],
];
const MAX_COLUMN_NORM = Math.max(...[0, 1, 2].map((j) => Math.hypot(...COLOR_SVD_SQRT.map((row) => row[j]))));

export interface InverseRealDft {
  /** Coefficients per row: [H, channels · Wf] with Wf = ⌊W/2⌋ + 1 (channel-major along a row). */
  readonly halfWidth: number;
  /** Real and imaginary coefficients -> [channels · H, W] spatial values (numpy's irfft2 of each channel). */
  apply(re: tf.Tensor2D, im: tf.Tensor2D, channels: number): tf.Tensor2D;
  dispose(): void;
}

/** Precomputed bases of the inverse real 2D DFT of an H x W image. */
export function inverseRealDft(height: number, width: number): InverseRealDft {
  const wf = Math.floor(width / 2) + 1;
  const basis = (n: number, m: number, period: number, fn: (a: number) => number) => {
    const out = new Float32Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = fn((2 * Math.PI * ((i * j) % period)) / period);
    return out;
  };
  // Half-spectrum weights of irfft along the width: 1 for the DC (and Nyquist, when W is even) column, else 2;
  // the 1/(H·W) of the inverse transform folded in.
  const weight = (v: number) => (v === 0 || (width % 2 === 0 && v === width / 2) ? 1 : 2) / (height * width);
  const bcData = basis(wf, width, width, Math.cos);
  const bsData = basis(wf, width, width, Math.sin);
  for (let v = 0; v < wf; v++) {
    for (let w = 0; w < width; w++) {
      bcData[v * width + w] *= weight(v);
      bsData[v * width + w] *= weight(v);
    }
  }
  const ac = tf.tensor2d(basis(height, height, height, Math.cos), [height, height]);
  const as = tf.tensor2d(basis(height, height, height, Math.sin), [height, height]);
  const bc = tf.tensor2d(bcData, [wf, width]);
  const bs = tf.tensor2d(bsData, [wf, width]);
  return {
    halfWidth: wf,
    apply: (re, im, channels) =>
      tf.tidy(() => {
        // Along the height: P + iQ = A·X with A = cos + i·sin (H x H), X = Re + i·Im.
        const p = tf.sub(tf.matMul(ac, re), tf.matMul(as, im));
        const q = tf.add(tf.matMul(ac, im), tf.matMul(as, re));
        // Along the width, per channel: Re((P + iQ)·(Bc + i·Bs)) = P·Bc − Q·Bs.
        const perChannel = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [height, channels, wf]), [1, 0, 2]), [channels * height, wf]) as tf.Tensor2D;
        return tf.sub(tf.matMul(perChannel(p), bc), tf.matMul(perChannel(q), bs)) as tf.Tensor2D;
      }),
    dispose: () => tf.dispose([ac, as, bc, bs]),
  };
}

export interface FourierImage {
  /** The optimised coefficients (real and imaginary parts, [H, 3·Wf] each). */
  readonly variables: tf.Variable[];
  /** The image [1,H,W,3] in 0..1 the coefficients describe; differentiable with respect to them. */
  render(): tf.Tensor4D;
  dispose(): void;
}

/** Coefficients drawn from N(0, sd²) with `seed` (TF.js's seeded generator); Lucid's sd is 0.01. */
export function createFourierImage(height: number, width: number, seed: number, sd = 0.01): FourierImage {
  const dft = inverseRealDft(height, width);
  const wf = dft.halfWidth;
  const { scale, color } = tf.tidy(() => {
    // Scale per coefficient: 1 / max(|f|, 1/max(H, W)) (decay power 1), × sqrt(H·W) for a unitary transform.
    const s = new Float32Array(height * 3 * wf);
    for (let u = 0; u < height; u++) {
      const fy = (u <= height / 2 ? u : u - height) / height;
      for (let v = 0; v < wf; v++) {
        const f = Math.max(Math.hypot(fy, v / width), 1 / Math.max(height, width));
        for (let c = 0; c < 3; c++) s[u * 3 * wf + c * wf + v] = Math.sqrt(height * width) / f;
      }
    }
    const normalized = COLOR_SVD_SQRT.map((row) => row.map((x) => x / MAX_COLUMN_NORM));
    return {
      scale: tf.keep(tf.tensor2d(s, [height, 3 * wf])),
      // Lucid multiplies flat pixels by the transpose: rgb = t · Cᵀ.
      color: tf.keep(tf.transpose(tf.tensor2d(normalized.flat(), [3, 3]))),
    };
  });
  // tf.variable keeps its argument's data but leaves the argument counted: dispose the initial tensors at once.
  const variable = (s: number) => {
    const initial = tf.randomNormal([height, 3 * wf], 0, sd, 'float32', s);
    const v = tf.variable(initial, true);
    initial.dispose();
    return v;
  };
  const re = variable(seed);
  const im = variable(seed + 1);
  return {
    variables: [re, im],
    render: () =>
      tf.tidy(() => {
        const spatial = dft.apply(tf.mul(re, scale) as tf.Tensor2D, tf.mul(im, scale) as tf.Tensor2D, 3); // [3·H, W]
        const pixels = tf.reshape(tf.transpose(tf.reshape(spatial, [3, height * width])), [height * width, 3]) as tf.Tensor2D;
        const rgb = tf.sigmoid(tf.matMul(tf.div(pixels, 4), color)); // Lucid's "/ 4", then decorrelated colour
        return tf.reshape(rgb, [1, height, width, 3]) as tf.Tensor4D;
      }),
    dispose: () => {
      dft.dispose();
      tf.dispose([re, im, scale, color]);
    },
  };
}
