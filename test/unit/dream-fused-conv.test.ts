// models/networks/fused-conv.ts: a conv layer (conv2d or depthwise + bias + activation) as one op with an
// input-only gradient gives the same values and the same input gradient as TF.js's autodiff of the separate ops,
// layer by layer and through whole networks (MobileNetV2, Darknet Tiny), runs no weight or bias gradient kernel,
// and leaks nothing. References are TF.js's own gradients on its CPU backend (no rewritten gradient installed).
import * as tf from '@tensorflow/tfjs';
import type { DarknetExtras } from '../../models/networks/darknet-spec';
import { type DarknetTiny, createDarknetTiny } from '../../models/networks/darknet-tiny';
import { type FusedActivation, fusedConv, residualAdd } from '../../models/networks/fused-conv';
import { withKernelCache } from '../../models/networks/kernel-cache';
import { maskedGradient } from '../../models/networks/masked-gradient';
import { type MobileNetV2, createMobileNetV2 } from '../../models/networks/mobilenet-v2';
import { convLayer } from '../../models/networks/ops';
import type { MobileNetExtras } from '../../models/tflite/convert-mobilenet';
import { decodeConvertedWeights } from '../../models/weights/decode';
import { createFileWeightStore } from '../../models/weights/file-store';
import { seededRandom } from '../../techniques/random';
import { MODELS_DIR, useWasmBackend } from '../support/assets';

jest.setTimeout(120_000);

const values = (n: number, seed: number, lo = -1, hi = 1) => {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
};
const random = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);

/** max |a − b| over max(1, max |b|). */
const relativeMaxError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
};
/** ‖a − b‖ / ‖b‖. */
const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

interface LayerCase {
  name: string;
  shape: [number, number, number, number];
  op: 'conv2d' | 'depthwise';
  kernel: number;
  stride: number;
  padding: 'same' | 'valid';
  activation: FusedActivation;
}

function layerCases(): LayerCase[] {
  const out: LayerCase[] = [];
  const activations: FusedActivation[] = ['none', 'relu', 'relu6', 'leakyRelu'];
  for (const [h, w] of [
    [8, 9],
    [11, 10],
  ]) {
    for (const op of ['conv2d', 'depthwise'] as const) {
      for (const kernel of [1, 2, 3]) {
        for (const stride of [1, 2, 3]) {
          for (const padding of ['same', 'valid'] as const) {
            const activation = activations[(h + kernel + stride + (padding === 'same' ? 1 : 0) + (op === 'depthwise' ? 2 : 0)) % activations.length];
            out.push({ name: `${op} ${h}x${w} k${kernel} s${stride} ${padding} ${activation}`, shape: [1, h, w, 3], op, kernel, stride, padding, activation });
          }
        }
      }
    }
  }
  // Every activation on the two layers MobileNetV2 has at its stem (3x3 stride 2 on RGB) and in its blocks.
  for (const activation of activations) {
    out.push({ name: `stem-like conv2d 12x12 k3 s2 same ${activation}`, shape: [2, 12, 12, 3], op: 'conv2d', kernel: 3, stride: 2, padding: 'same', activation });
    out.push({ name: `depthwise 12x13 k3 s2 same ${activation}`, shape: [1, 12, 13, 4], op: 'depthwise', kernel: 3, stride: 2, padding: 'same', activation });
  }
  return out;
}

const LEAKY_ALPHA = 0.1;

/** The same layer as separate TF.js ops (what TF.js's autodiff differentiates). */
function unfused(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, c: LayerCase): tf.Tensor4D {
  const conv = c.op === 'depthwise' ? tf.depthwiseConv2d(x, filter, c.stride, c.padding) : tf.conv2d(x, filter, c.stride, c.padding);
  const z = tf.add(conv, bias) as tf.Tensor4D;
  switch (c.activation) {
    case 'none':
      return z;
    case 'relu':
      return tf.relu(z);
    case 'relu6':
      return tf.relu6(z);
    case 'leakyRelu':
      return tf.leakyRelu(z, LEAKY_ALPHA);
  }
}

/** Value and input gradient of Σ layer(x)·w for a fused or unfused layer. */
function valueAndGradient(c: LayerCase, seed: number, layer: (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor4D) {
  return tf.tidy(() => {
    const cin = c.shape[3];
    const cout = c.op === 'depthwise' ? cin : 5;
    // Weights scaled so that pre-activations span well below 0 and above 6 (both kinks of ReLU6 are exercised).
    const filter = random([c.kernel, c.kernel, cin, c.op === 'depthwise' ? 1 : cout], seed, -2, 2) as tf.Tensor4D;
    const bias = random([cout], seed + 1, -1, 3) as tf.Tensor1D;
    const x = random(c.shape, seed + 2, -1.5, 1.5) as tf.Tensor4D;
    const y = layer(x, filter, bias);
    const w = random(y.shape, seed + 3);
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer(input as tf.Tensor4D, filter, bias), w)))(x);
    return { y: y.dataSync() as Float32Array, gradient: gradient.dataSync() as Float32Array, preActivation: tf.add(c.op === 'depthwise' ? tf.depthwiseConv2d(x, filter, c.stride, c.padding) : tf.conv2d(x, filter, c.stride, c.padding), bias).dataSync() as Float32Array };
  });
}

/** Whether TF's "same" padding is negative before clamping to 0 (size 9, kernel 2, stride 3: 2·3 + 2 − 9 = −1):
 *  tfjs-backend-wasm 4.22's forward conv2d disagrees with TF there (XNNPACK pads otherwise), plain op or fused. */
const wasmPadsOtherwise = (c: LayerCase) =>
  c.padding === 'same' && [c.shape[1], c.shape[2]].some((size) => (Math.ceil(size / c.stride) - 1) * c.stride + c.kernel - size < 0);

const fused = (c: LayerCase) => (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) =>
  fusedConv(x, filter, bias, { op: c.op, strides: [c.stride, c.stride], padding: c.padding, activation: c.activation, leakyAlpha: LEAKY_ALPHA });

describe('fusedConv, layer by layer', () => {
  const cases = layerCases();
  const reference = new Map<string, { y: Float32Array; gradient: Float32Array }>();

  beforeAll(async () => {
    await tf.setBackend('cpu');
    tf.env().set('IS_TEST', true);
    cases.forEach((c, i) => reference.set(c.name, valueAndGradient(c, 100 + 10 * i, (x, f, b) => unfused(x, f, b, c))));
  });

  it('ReLU6 cases cross both kinks (0 and 6)', () => {
    const c = cases.find((k) => k.name.startsWith('stem-like') && k.activation === 'relu6')!;
    const z = tf.tidy(() => valueAndGradient(c, 100 + 10 * cases.indexOf(c), (x, f, b) => unfused(x, f, b, c)).preActivation);
    expect(z.some((v) => v < 0)).toBe(true);
    expect(z.some((v) => v > 6)).toBe(true);
  });

  it.each(['cpu', 'wasm'])('equals TF.js autodiff of conv + bias + activation on %s (values and input gradient)', async (backend) => {
    if (backend === 'wasm') await useWasmBackend();
    else await tf.setBackend(backend);
    // WASM computes with XNNPACK (other summation order): held to 1e-4; CPU to 1e-5.
    const bound = backend === 'cpu' ? 1e-5 : 1e-4;
    const before = tf.memory().numTensors;
    for (const cached of [false, true]) {
      const run = async () => {
        cases.forEach((c, i) => {
          if (backend === 'wasm' && wasmPadsOtherwise(c)) return;
          const got = valueAndGradient(c, 100 + 10 * i, fused(c));
          const ref = reference.get(c.name)!;
          expect({ name: c.name, value: relativeMaxError(got.y, ref.y) < bound }).toEqual({ name: c.name, value: true });
          expect({ name: c.name, gradient: relativeMaxError(got.gradient, ref.gradient) < bound }).toEqual({ name: c.name, gradient: true });
        });
      };
      if (cached) await withKernelCache(run);
      else await run();
    }
    expect(tf.memory().numTensors).toBe(before); // derived kernels freed with the job, nothing else kept
  });

  it('runs one forward kernel and no weight or bias gradient kernel', async () => {
    await tf.setBackend('cpu');
    const profile = await tf.profile(() =>
      tf.tidy(() => {
        const x = random([1, 9, 9, 4], 1) as tf.Tensor4D;
        const filter = random([3, 3, 4, 6], 2) as tf.Tensor4D;
        const bias = random([6], 3) as tf.Tensor1D;
        return tf.grad((input: tf.Tensor) => tf.sum(fusedConv(input as tf.Tensor4D, filter, bias, { op: 'conv2d', strides: [2, 2], padding: 'same', activation: 'relu6' })))(x);
      }),
    );
    tf.dispose(profile.result as tf.Tensor);
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'FusedConv2D')).toHaveLength(1);
    for (const unwanted of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'Add', 'Relu6']) expect(names).not.toContain(unwanted);
    // Σ over batch and space is what a bias gradient needs; the only sum here is the objective's own.
    expect(names.filter((n) => n === 'Sum')).toHaveLength(1);
  });
});

describe('maskedGradient', () => {
  it('gives on WASM (one SIMD pass) exactly what the TF.js ops give on CPU, kinks and the last count mod 4 included', async () => {
    const masks = [
      { upper: 6, alpha: 0 },
      { upper: Infinity, alpha: 0 },
      { upper: Infinity, alpha: 0.1 },
    ];
    for (const size of [7, 4096 + 3]) {
      // Outputs of ReLU6 / leaky ReLU with exact 0s and 6s, and tiny positive values.
      const y = Array.from(values(size, size, -2, 8), (v, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? 6 : i % 11 === 0 ? 1e-30 : v));
      const dy = values(size, size + 1);
      const results: Record<string, Float32Array[]> = {};
      for (const backend of ['cpu', 'wasm']) {
        if (backend === 'wasm') await useWasmBackend();
        else await tf.setBackend('cpu');
        results[backend] = masks.map((mask) =>
          tf.tidy(() => {
            const output = mask.upper === 6 ? y.map((v) => Math.min(Math.max(v, 0), 6)) : mask.alpha === 0 ? y.map((v) => Math.max(v, 0)) : y.map((v) => (v > 0 ? v : v * mask.alpha));
            return maskedGradient(tf.tensor(dy), tf.tensor(output), mask).dataSync() as Float32Array;
          }),
        );
      }
      results.wasm.forEach((got, i) => expect(Array.from(got)).toEqual(Array.from(results.cpu[i])));
    }
    // And WASM did use its one-pass kernel, not the fallback ops.
    await useWasmBackend();
    const profile = await tf.profile(() => tf.tidy(() => maskedGradient(tf.ones([8]), tf.ones([8]), { upper: 6, alpha: 0 })));
    tf.dispose(profile.result as tf.Tensor);
    expect(profile.kernels.map((k) => k.name)).toEqual(['PasticheMaskedGradient']);
  });
});

describe('residualAdd', () => {
  it('is a + b with gradient ∂L/∂y to both inputs', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const a = random([1, 4, 5, 3], 7) as tf.Tensor4D;
      const b = random([1, 4, 5, 3], 8) as tf.Tensor4D;
      const w = random([1, 4, 5, 3], 9);
      const loss = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.square(residualAdd(p as tf.Tensor4D, q as tf.Tensor4D)), w));
      const reference = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.add(p, q)), w));
      expect(residualAdd(a, b).arraySync()).toEqual(tf.add(a, b).arraySync());
      const [ga, gb] = tf.grads(loss)([a, b]);
      const [ra, rb] = tf.grads(reference)([a, b]);
      expect(relativeMaxError(ga.dataSync(), ra.dataSync())).toBeLessThan(1e-6);
      expect(relativeMaxError(gb.dataSync(), rb.dataSync())).toBeLessThan(1e-6);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('through whole networks (CPU, 64x48 px)', () => {
  let mobilenet: MobileNetV2;
  let mobilenetWeights: tf.NamedTensorMap;
  let mobilenetExtras: MobileNetExtras;
  let darknet: DarknetTiny;
  let darknetWeights: tf.NamedTensorMap;
  let darknetExtras: DarknetExtras;
  let image: tf.Tensor4D;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const store = createFileWeightStore(MODELS_DIR);
    const [m, d] = await Promise.all([store.load('mobilenet_v2'), store.load('darknet_tiny')]);
    mobilenetExtras = m.manifest.extras as unknown as MobileNetExtras;
    darknetExtras = d.manifest.extras as unknown as DarknetExtras;
    mobilenetWeights = decodeConvertedWeights(m);
    darknetWeights = decodeConvertedWeights(d);
    // The networks take ownership of their maps; the unfused references borrow the same tensors.
    mobilenet = createMobileNetV2(mobilenetWeights, mobilenetExtras);
    darknet = createDarknetTiny(darknetWeights, darknetExtras);
    image = random([1, 48, 64, 3], 77, 0, 1) as tf.Tensor4D;
  });
  afterAll(() => {
    image?.dispose();
    mobilenet?.dispose();
    darknet?.dispose();
  });

  /** MobileNetV2 up to block `last` with TF.js's separate ops, as the network was written before fused layers. */
  const unfusedMobileNet = (input: tf.Tensor4D, last: number): tf.Tensor4D => {
    const layers = new Map(mobilenetExtras.layers.map((l) => [l.name, l]));
    const conv = (x: tf.Tensor4D, name: string) => convLayer(x, mobilenetWeights, name, layers.get(name)!);
    let x = tf.add(tf.mul(input, mobilenetExtras.input.multiply), mobilenetExtras.input.add) as tf.Tensor4D;
    x = conv(x, mobilenetExtras.stem);
    for (const block of mobilenetExtras.blocks.slice(0, last + 1)) {
      let h = block.expand ? conv(x, `${block.name}/expand`) : x;
      h = conv(conv(h, `${block.name}/depthwise`), `${block.name}/project`);
      x = block.residual ? (tf.add(h, x) as tf.Tensor4D) : h;
    }
    return x;
  };

  /** Darknet Tiny up to `last` with TF.js's separate ops. */
  const unfusedDarknet = (input: tf.Tensor4D, last: string): tf.Tensor4D => {
    let h = input;
    for (const l of darknetExtras.layers) {
      if (l.kind === 'conv') {
        h = tf.add(tf.conv2d(h, darknetWeights[`${l.name}/kernel`] as tf.Tensor4D, l.stride, l.padding), darknetWeights[`${l.name}/bias`]) as tf.Tensor4D;
        if (l.leakyAlpha !== null) h = tf.leakyRelu(h, l.leakyAlpha);
      } else if (l.kind === 'maxpool') {
        h = tf.maxPool(h, l.poolSize, l.stride, l.padding);
      }
      if (l.name === last) break;
    }
    return h;
  };

  const objective = (activations: (x: tf.Tensor4D) => tf.Tensor) => (x: tf.Tensor) => tf.mean(tf.square(activations(x as tf.Tensor4D))) as tf.Scalar;

  it.each([
    ['MobileNetV2 block_6', (x: tf.Tensor4D) => mobilenet.endpoints(x, ['block_6']).block_6, (x: tf.Tensor4D) => unfusedMobileNet(x, 6)],
    ['MobileNetV2 block_16', (x: tf.Tensor4D) => mobilenet.endpoints(x, ['block_16']).block_16, (x: tf.Tensor4D) => unfusedMobileNet(x, 16)],
    ['Darknet conv8', (x: tf.Tensor4D) => darknet.features(x, ['conv8']).conv8, (x: tf.Tensor4D) => unfusedDarknet(x, 'conv8')],
  ])('%s: same activations and input gradient as TF.js autodiff of the unfused network', async (_name, net, reference) => {
    const before = tf.memory().numTensors;
    await withKernelCache(async () => {
      tf.tidy(() => {
        expect(relativeError(net(image).dataSync(), reference(image).dataSync())).toBeLessThan(1e-6);
        const got = tf.grad(objective(net))(image).dataSync();
        const want = tf.grad(objective(reference))(image).dataSync();
        expect(relativeError(got, want)).toBeLessThan(1e-5);
      });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
