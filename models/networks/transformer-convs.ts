// The style transformer's convolutions, each in the fastest exact form for the backend: bias and activation fused
// into the kernel (tf.fused.conv2d) everywhere; on WASM also the narrow last layer width-packed (packed-conv.ts) and
// the upsampling layers computed on the small image (upsample-conv.ts). The rearranged kernels are made once, with
// the network, whatever the backend is then (the engine may move to WASM later), and live as long as its weights.
import * as tf from '@tensorflow/tfjs';
import type { TransformerLayerInfo } from '../tflite/convert-magenta-transformer';
import { type Activation, activate, weight } from './ops';
import { packedConv, packedKernel } from './packed-conv';
import { type UpsampledConvKernels, disposeUpsampledConvKernels, upsampledConv, upsampledConvKernels } from './upsample-conv';

const FUSED_ACTIVATION: Partial<Record<TransformerLayerInfo['activation'], tf.fused.Activation>> = { none: 'linear', relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid' };

/** Width packing for a convolution with `outChannels` outputs on WASM (packed-conv.ts): columns packed so that the
 *  output has up to 8 channels (XNNPACK's tile); 1 when it has 5 or more already. Measured at 384 px, WASM: the last
 *  layer (9x9, 8 -> 3 channels) 39 ms unpacked, 25.5 ms with 2 columns packed (4: 26 ms, 8: 24 ms); layers with 8 or
 *  more outputs only got slower (3x3, 16 -> 8 at 386 px: 9.1 -> 13.8 ms with 2). */
function packingFor(outChannels: number, strides: [number, number]): number {
  if (strides[0] !== 1 || strides[1] !== 1) return 1;
  return outChannels <= 4 ? Math.floor(8 / outChannels) : 1;
}

/** Whether a layer is a 3x3 convolution over a 1-pixel reflect padding of a 2x nearest upsampling. */
const upsamplesBy2 = (l: TransformerLayerInfo) =>
  l.upsample === 2 && l.kernel[0] === 3 && l.kernel[1] === 3 && l.strides[0] === 1 && l.strides[1] === 1 && l.mirrorPad.flat().every((p) => p === 1);

export interface TransformerConvs {
  /**
   * The layer's block before its norm: [upsampling to `upsampledSize`,] reflect padding, VALID convolution, bias
   * and, with `activation`, the activation (a layer with a norm passes 'none': its activation follows the norm).
   */
  run(x: tf.Tensor4D, l: TransformerLayerInfo, upsampledSize: [number, number] | undefined, activation: TransformerLayerInfo['activation']): tf.Tensor4D;
  dispose(): void;
}

export function transformerConvs(weights: tf.NamedTensorMap, layers: readonly TransformerLayerInfo[]): TransformerConvs {
  const packed = new Map<string, { kernel: tf.Tensor4D; bias?: tf.Tensor1D; f: number }>();
  const upsampled = new Map<string, UpsampledConvKernels>();
  for (const l of layers) {
    const filter = weight<tf.Rank.R4>(weights, `${l.name}/weights`);
    const bias = weights[`${l.name}/bias`] as tf.Tensor1D | undefined;
    const f = packingFor(filter.shape[3], l.strides);
    if (l.upsample === 1 && f > 1) {
      packed.set(l.name, { kernel: packedKernel(filter, f), bias: bias ? tf.tidy(() => tf.concat(Array.from({ length: f }, () => bias)) as tf.Tensor1D) : undefined, f });
    }
    if (upsamplesBy2(l)) upsampled.set(l.name, upsampledConvKernels(filter, bias));
  }

  return {
    run(x, l, upsampledSize, activation) {
      const fused = FUSED_ACTIVATION[activation];
      const wasm = tf.getBackend() === 'wasm';
      const filter = weight<tf.Rank.R4>(weights, `${l.name}/weights`);
      const bias = weights[`${l.name}/bias`] as tf.Tensor1D | undefined;
      const onSmallImage = upsampled.get(l.name);
      if (wasm && fused && onSmallImage && upsampledSize && upsampledSize[0] === 2 * x.shape[1] && upsampledSize[1] === 2 * x.shape[2]) {
        return upsampledConv(x, onSmallImage, fused);
      }
      if (upsampledSize) x = tf.image.resizeNearestNeighbor(x, upsampledSize);
      const [[top, bottom], [left, right]] = l.mirrorPad;
      const padded = tf.mirrorPad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], 'reflect');
      if (!fused) return activate(bias ? tf.add(tf.conv2d(padded, filter, l.strides, 'valid'), bias) : tf.conv2d(padded, filter, l.strides, 'valid'), activation as Activation);
      const narrow = packed.get(l.name);
      if (wasm && narrow && padded.shape[2] >= filter.shape[1]) return packedConv(padded, narrow.kernel, filter.shape[1], narrow.f, narrow.bias, fused);
      return tf.fused.conv2d({ x: padded, filter, strides: l.strides, pad: 'valid', bias, activation: fused });
    },
    dispose() {
      for (const p of packed.values()) tf.dispose([p.kernel, ...(p.bias ? [p.bias] : [])]);
      for (const k of upsampled.values()) disposeUpsampledConvKernels(k);
      packed.clear();
      upsampled.clear();
    },
  };
}
